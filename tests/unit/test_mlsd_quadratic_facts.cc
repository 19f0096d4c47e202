// Regression (found while fuzzing fuzz_parsers): parse_mlsd_line() looked
// for duplicate fact names by scanning every fact already parsed, so a line
// of n facts cost n*n/2 string comparisons.  One 64 KiB MLSD line (the
// default line cap) of 16k distinct facts took over a second of CPU, and a
// listing of such lines kept a client busy for as long as the server liked,
// with data flowing all the time so no idle timeout fired.
//
// No clock is read here: the 2 MB line below takes a fraction of a second
// now and, quadratically, many minutes before the fix, which the test's
// timeout (tests/unit/meson.build) turns into a failure.
#include <string>

#include "core/parsers.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include "cmocka.hh"

using namespace ftpc;

namespace {

// Fact names "aaaa", "aaab", ... (base 26, four letters: 456976 names).
std::string fact_name(size_t i)
{
    std::string name(4, 'a');
    for (size_t k = 4; k-- > 0; i /= 26)
        name[k] = static_cast<char>('a' + i % 26);
    return name;
}

void many_distinct_facts_parse_in_order(void **)
{
    const size_t count = 400000;
    std::string line;
    line.reserve(count * 7 + 16);
    for (size_t i = 0; i < count; i++)
        line += fact_name(i) + "=v;";
    line += " the name";

    MlsdEntry entry = parse_mlsd_line(line);
    assert_string_equal(entry.name.c_str(), "the name");
    assert_int_equal(entry.facts.size(), count);
    assert_string_equal(entry.facts.front().first.c_str(), "aaaa");
    assert_string_equal(entry.facts[count - 1].first.c_str(), fact_name(count - 1).c_str());
    assert_string_equal(entry.facts[count - 1].second.c_str(), "v");
}

void duplicates_still_overwrite_in_place(void **)
{
    // As a Python dict: the first position, the last value; names lower-cased.
    MlsdEntry entry = parse_mlsd_line("a=1;B=2;A=3;b=4;c=5; n");
    assert_int_equal(entry.facts.size(), 3);
    assert_string_equal(entry.facts[0].first.c_str(), "a");
    assert_string_equal(entry.facts[0].second.c_str(), "3");
    assert_string_equal(entry.facts[1].first.c_str(), "b");
    assert_string_equal(entry.facts[1].second.c_str(), "4");
    assert_string_equal(entry.facts[2].first.c_str(), "c");
}

void many_copies_of_one_fact(void **)
{
    std::string line;
    for (int i = 0; i < 100000; i++)
        line += "Type=" + std::to_string(i) + ";";
    line += " f";
    MlsdEntry entry = parse_mlsd_line(line);
    assert_int_equal(entry.facts.size(), 1);
    assert_string_equal(entry.facts[0].second.c_str(), "99999");
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {
        cmocka_unit_test(many_distinct_facts_parse_in_order),
        cmocka_unit_test(duplicates_still_overwrite_in_place),
        cmocka_unit_test(many_copies_of_one_fact),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}

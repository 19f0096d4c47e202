/* Ceiling: a TLS 1.3 AES-128-GCM byte stream over one loopback TCP
 * connection, OpenSSL on both ends, no FTP.
 *
 *   tls_pipe CERT KEY CAFILE BYTES [REPEAT]
 *
 * A server process (certificate CERT, key KEY) writes BYTES bytes with
 * SSL_write in 256 KiB calls; the client verifies the certificate against
 * CAFILE, reads with SSL_read into a 256 KiB buffer and drops the bytes.
 * This is what an FTPS download costs without the protocol and the disk:
 * one side encrypts, the other decrypts, each on its own core.
 *
 * Prints one JSON line: {"bytes": N, "seconds": [s1, ...]}, one time per
 * repetition (default 3), each from connect() to the server's close_notify.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ceiling.h"

#define BLOCK (256 * 1024)
#define CIPHER "TLS_AES_128_GCM_SHA256"

static void fail(const char *what)
{
    fprintf(stderr, "tls_pipe: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static SSL_CTX *tls13_context(const SSL_METHOD *method)
{
    SSL_CTX *ctx = SSL_CTX_new(method);
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set_ciphersuites(ctx, CIPHER)) {
        fail("SSL_CTX_new");
    }
    return ctx;
}

static void serve(int listener, const char *cert, const char *key, long long bytes)
{
    SSL_CTX *ctx = tls13_context(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        fail("server certificate or key");
    }
    int sock = accept(listener, NULL, NULL);
    SSL *ssl = SSL_new(ctx);
    if (sock < 0 || ssl == NULL || !SSL_set_fd(ssl, sock) || SSL_accept(ssl) != 1) {
        fail("server handshake");
    }
    unsigned char *block = calloc(1, BLOCK);
    if (block == NULL) {
        fail("out of memory");
    }
    while (bytes > 0) {
        int n = bytes < BLOCK ? (int)bytes : BLOCK;
        if (SSL_write(ssl, block, n) != n) {
            fail("SSL_write");
        }
        bytes -= n;
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(sock);
    free(block);
    SSL_CTX_free(ctx);
    _exit(0);
}

static double receive_once(const char *cert, const char *key, const char *ca, long long bytes)
{
    struct sockaddr_in addr;
    int listener = ceiling_listen_loopback(&addr, 1);
    if (listener < 0) {
        fail("listen on 127.0.0.1");
    }
    fflush(stdout); /* or the child's exit(1) would print our output twice */
    pid_t server = fork();
    if (server < 0) {
        fail("fork");
    }
    if (server == 0) {
        serve(listener, cert, key, bytes);
    }
    close(listener);

    SSL_CTX *ctx = tls13_context(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
        fail("CA file");
    }
    unsigned char *block = malloc(BLOCK);
    if (block == NULL) {
        fail("out of memory");
    }
    double start = ceiling_now();
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    SSL *ssl = SSL_new(ctx);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0 || ssl == NULL ||
        !SSL_set_fd(ssl, sock) ||
        !X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1") ||
        SSL_connect(ssl) != 1) {
        fail("client handshake");
    }
    long long received = 0;
    for (;;) {
        int n = SSL_read(ssl, block, BLOCK);
        if (n <= 0) {
            if (SSL_get_error(ssl, n) != SSL_ERROR_ZERO_RETURN) {
                fail("SSL_read");
            }
            break;
        }
        received += n;
    }
    double seconds = ceiling_now() - start;
    SSL_free(ssl);
    close(sock);
    free(block);
    SSL_CTX_free(ctx);
    int status;
    if (waitpid(server, &status, 0) != server || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || received != bytes) {
        fail("the server failed or the byte count is wrong");
    }
    return seconds;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fputs("usage: tls_pipe CERT KEY CAFILE BYTES [REPEAT]\n", stderr);
        return 2;
    }
    long long bytes = atoll(argv[4]);
    int repeat = argc == 6 ? atoi(argv[5]) : 3;
    printf("{\"bytes\": %lld, \"cipher\": \"%s\", \"seconds\": [", bytes, CIPHER);
    for (int i = 0; i < repeat; i++) {
        printf("%s%.6f", i ? ", " : "", receive_once(argv[1], argv[2], argv[3], bytes));
        fflush(stdout);
    }
    printf("]}\n");
    return 0;
}

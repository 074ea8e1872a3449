/*
 * The FastCGI ceiling: the least a libfcgi worker can do per request. N threads each
 * accept on the inherited socket (fd 0, as spawn-fcgi passes it), read the declared body
 * and answer one fixed JSON document. Whatever predict-fcgi costs beyond this is its own.
 *
 *   fcgi_ceiling [THREADS]
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char answer[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 47\r\n"
    "\r\n"
    "{\"label\":\"no\",\"probabilities\":{\"no\":1,\"yes\":0}}";

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request request;
    char sink[8192];
    if (FCGX_InitRequest(&request, 0, 0) != 0) return NULL;
    while (FCGX_Accept_r(&request) >= 0) {
        const char *length = FCGX_GetParam("CONTENT_LENGTH", request.envp);
        long remaining = length ? strtol(length, NULL, 10) : 0;
        while (remaining > 0) {
            int chunk = remaining > (long)sizeof sink ? (int)sizeof sink : (int)remaining;
            int got = FCGX_GetStr(sink, chunk, request.in);
            if (got <= 0) break;
            remaining -= got;
        }
        FCGX_PutStr(answer, (int)sizeof answer - 1, request.out);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1) threads = 1;
    signal(SIGPIPE, SIG_IGN);
    if (FCGX_Init() != 0) return 1;
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    for (int i = 1; i < threads; i++) pthread_create(&ids[i], NULL, serve, NULL);
    serve(NULL);
    return 0;
}

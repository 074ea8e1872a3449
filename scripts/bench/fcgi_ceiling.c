/*
 * The FastCGI ceiling of `make bench`: the least work a libfcgi worker can do per request.
 * Threads loop on FCGX_Accept_r over the socket inherited on fd 0 (spawn-fcgi), drain the
 * declared body and answer the bytes predict-fcgi answers for examples/client.json, so any
 * difference in req/s is the cost of predict-fcgi's own work.
 *
 * It stands in for predict-fcgi under scripts/stack (PREDICT_BIN), so it accepts that
 * command line and honours only `--threads N`; the default matches the worker's, 2 per core.
 *
 *   gcc -O2 -Wall -o fcgi_ceiling fcgi_ceiling.c -lfcgi -lpthread
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BODY                                                                                   \
    "{\"label\":\"no\",\"probabilities\":{\"no\":0.9176562,\"yes\":0.08234382},\"warnings\":[]," \
    "\"model\":{\"name\":\"bank-marketing\",\"version\":\"1.0.0\"}}"
static const char reply[] = "Status: 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: 130\r\n\r\n" BODY;
_Static_assert(sizeof BODY - 1 == 130, "the Content-Length header must match BODY");

static void *serve(void *unused) {
    FCGX_Request request;
    char sink[4096];
    (void)unused;
    if (FCGX_InitRequest(&request, 0, 0) != 0) return NULL;
    while (FCGX_Accept_r(&request) >= 0) {
        const char *declared = FCGX_GetParam("CONTENT_LENGTH", request.envp);
        long left = declared ? atol(declared) : 0;
        while (left > 0) {
            int got = FCGX_GetStr(sink, left < (long)sizeof sink ? (int)left : (int)sizeof sink,
                                  request.in);
            if (got <= 0) break;
            left -= got;
        }
        FCGX_PutStr(reply, (int)sizeof reply - 1, request.out);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(int argc, char **argv) {
    long threads = 2 * sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--threads") == 0) threads = atol(argv[i + 1]);
    if (threads < 1) threads = 1;
    signal(SIGPIPE, SIG_IGN); /* nginx may close first; a write error must not kill us */
    if (FCGX_Init() != 0) return 1;
    pthread_t thread;
    for (long i = 1; i < threads; i++)
        if (pthread_create(&thread, NULL, serve, NULL) != 0) return 1;
    serve(NULL); /* the main thread is one of the N */
    return 0;
}

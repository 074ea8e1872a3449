#ifndef C_LINUX_SHIM_H
#define C_LINUX_SHIM_H

// The Linux calls of the worker that Swift's Glibc module does not import: epoll and eventfd
// are not in it, and glibc declares accept4 and pthread_setname_np only under _GNU_SOURCE,
// which cannot be defined here (it changes types, such as fd_set, that Glibc already
// defines). Those two are therefore declared once, as glibc exports them, under the shim's
// prefix.
#include <pthread.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

static inline int CLinux_accept4(int listener, int flags) {
    return accept4(listener, NULL, NULL, flags);
}

extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int CLinux_nameCurrentThread(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

#endif

#ifndef C_LINUX_SHIM_H
#define C_LINUX_SHIM_H

// The Linux socket calls of the worker's connection gate that Swift's Glibc module does not
// import: epoll and eventfd are not in it, and glibc declares accept4 only under _GNU_SOURCE,
// which cannot be defined here (it changes types, such as fd_set, that Glibc already
// defines). accept4 is therefore declared once, as glibc exports it, under the shim's prefix.
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

static inline int CLinux_accept4(int listener, int flags) {
    return accept4(listener, NULL, NULL, flags);
}

#endif

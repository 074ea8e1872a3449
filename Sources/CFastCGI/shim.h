#ifndef C_FAST_CGI_SHIM_H
#define C_FAST_CGI_SHIM_H

// libfcgi's request API (FCGX_*). Everything the worker calls imports into Swift as
// it is; the shim adds only what the installed headers do not provide.
#include <fcgiapp.h>

// The FastCGI spec puts the listening socket that a process manager (spawn-fcgi,
// systemd with StandardInput=socket) hands over on fd 0, named FCGI_LISTENSOCK_FILENO
// in fastcgi.h. Debian's libfcgi-dev does not install fastcgi.h, so the constant is
// restated here, once, under the shim's prefix.
static inline int CFastCGI_listenSocketFileno(void) { return 0; }

#endif

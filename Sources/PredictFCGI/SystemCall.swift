// epoll and eventfd: the worker is Linux-only, as its deployment is.
import CLinux
import Glibc

/// The one seam for the C calls the worker makes: each function wraps one C call and throws
/// the failing call's name with its error, which is otherwise lost by the next call that
/// touches errno. The socket and thread calls are here, those that can be interrupted retried
/// on EINTR; libfcgi's are in `SystemCall.FastCGI` (SystemCall+FastCGI.swift), whose function
/// table a test can replace.
enum SystemCall {
    /// accept4(2) with SOCK_CLOEXEC: a blocking connection, as libfcgi's reads expect.
    static func accept(_ listener: Int32) throws(SystemCallError) -> Int32 {
        try retrying("accept4") { CLinux_accept4(listener, Int32(SOCK_CLOEXEC.rawValue)) }
    }

    /// recv(2) with MSG_PEEK | MSG_DONTWAIT: what has arrived, left in the socket for libfcgi.
    /// 0 means the peer closed; nil means nothing is there yet.
    static func peek(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer
    )
        throws(SystemCallError) -> Int?
    {
        do throws(SystemCallError) {
            return try retrying("recv") {
                recv(
                    descriptor, buffer.baseAddress, buffer.count,
                    Int32(MSG_PEEK | MSG_DONTWAIT))
            }
        } catch  where error.code == EAGAIN || error.code == EWOULDBLOCK {
            return nil
        }
    }

    /// setsockopt(2) of SO_RCVTIMEO and SO_SNDTIMEO: every later read or write on the socket
    /// fails with EAGAIN after `seconds` without progress.
    static func setTimeouts(_ descriptor: Int32, seconds: Int) throws(SystemCallError) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            try retrying("setsockopt") { setsockopt(descriptor, SOL_SOCKET, option, &limit, size) }
        }
    }

    /// close(2). Not retried on EINTR: Linux releases the descriptor even then.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// epoll_create1(2) with EPOLL_CLOEXEC.
    static func epollCreate() throws(SystemCallError) -> Int32 {
        try retrying("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    /// epoll_ctl(2) EPOLL_CTL_ADD of `descriptor` for `events`, with the descriptor as data.
    static func epollAdd(
        _ epoll: Int32, _ descriptor: Int32, events: UInt32
    )
        throws(SystemCallError)
    {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        try retrying("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) }
    }

    /// epoll_ctl(2) EPOLL_CTL_DEL.
    static func epollRemove(_ epoll: Int32, _ descriptor: Int32) throws(SystemCallError) {
        try retrying("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil) }
    }

    /// epoll_wait(2): the descriptors with events, waiting at most `milliseconds` (-1: no limit).
    static func epollWait(
        _ epoll: Int32, into events: UnsafeMutableBufferPointer<epoll_event>, milliseconds: Int32
    ) throws(SystemCallError) -> Int {
        Int(
            try retrying("epoll_wait") {
                epoll_wait(epoll, events.baseAddress, Int32(events.count), milliseconds)
            })
    }

    /// eventfd(2) with EFD_CLOEXEC: a descriptor another thread can make readable.
    static func eventDescriptor() throws(SystemCallError) -> Int32 {
        try retrying("eventfd") { eventfd(0, Int32(EFD_CLOEXEC)) }
    }

    /// write(2) of one count to an eventfd.
    static func signalEvent(_ descriptor: Int32) throws(SystemCallError) {
        var one: UInt64 = 1
        try retrying("write") { write(descriptor, &one, MemoryLayout<UInt64>.size) }
    }

    /// pthread_create(3) with default attributes, of a thread running `start(context)`. It
    /// returns its error rather than setting errno.
    static func createThread(
        _ start: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
        _ context: UnsafeMutableRawPointer
    ) throws(SystemCallError) -> pthread_t {
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, start, context)
        guard status == 0 else { throw SystemCallError(operation: "pthread_create", code: status) }
        return handle
    }

    /// pthread_setname_np(3) of the calling thread: the name `ps -L`, `top -H` and
    /// /proc/PID/task/TID/comm show, at most 15 bytes. Named from the thread itself, glibc sets
    /// it with prctl(PR_SET_NAME), where naming another thread writes its comm file in /proc.
    static func nameCurrentThread(_ name: String) throws(SystemCallError) {
        let status = CLinux_nameCurrentThread(name)
        guard status == 0 else {
            throw SystemCallError(operation: "pthread_setname_np", code: status)
        }
    }

    @discardableResult
    private static func retrying<Result: FixedWidthInteger>(
        _ operation: StaticString, _ call: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = call()
            guard result == -1 else { return result }
            let code = errno
            guard code == EINTR else { throw SystemCallError(operation: operation, code: code) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call that failed: its name and errno.
struct SystemCallError: Error, CustomStringConvertible {
    let operation: StaticString
    let code: Int32

    var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

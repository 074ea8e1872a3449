#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to stderr, unbuffered: for command-line diagnostics before logging exists.
func printError(_ line: String) {
    var text = line
    text.append("\n")
    text.withUTF8 { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

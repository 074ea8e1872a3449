import ArgumentParser
import PredictService

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `predict-fcgi keys add|list|revoke`: the keys file `serve --api-keys` reads. Only hashes
/// are stored; a new key is printed once. A running worker sees changes on SIGHUP.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make, list and revoke the API keys of a keys file.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct FileOption: ParsableArguments {
        @Option(help: ArgumentHelp("The keys file (created by the first add).", valueName: "file"))
        var file: String
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key for a client, store its hash and print the key (once).")

        @Argument(help: "The client's name: 1 to 64 of A-Z a-z 0-9 . _ -")
        var name: String

        @OptionGroup var keys: FileOption

        func run() throws {
            let created = Date.now.formatted(.iso8601)
            try KeysCommand.reporting("add") { () throws(LoadError) in
                print(try APIKeyFile.add(name: name, to: keys.file, created: created))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each key's name, creation time and hash prefix.")

        @OptionGroup var keys: FileOption

        func run() throws {
            try KeysCommand.reporting("list") { () throws(LoadError) in
                for entry in try APIKeyFile.read(path: keys.file).entries {
                    let prefix = entry.digest.prefix(4).map { byte in
                        (byte < 16 ? "0" : "") + String(byte, radix: 16)
                    }.joined()
                    print("\(entry.name)\t\(entry.created ?? "-")\tsha256:\(prefix)…")
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a client's key; a running worker refuses it after SIGHUP.")

        @Argument(help: "The client's name.")
        var name: String

        @OptionGroup var keys: FileOption

        func run() throws {
            try KeysCommand.reporting("revoke") { () throws(LoadError) in
                try APIKeyFile.revoke(name: name, from: keys.file)
            }
        }
    }

    /// Runs a subcommand's work; a refusal ends it with the reason on stderr and exit status 1.
    static func reporting(_ subcommand: String, _ body: () throws(LoadError) -> Void) throws {
        do {
            try body()
        } catch {
            printError("predict-fcgi keys \(subcommand): \(error.message)")
            throw ExitCode.failure
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A folder of model directories (`DIR/<any>/model.json`), each served under the name its
/// manifest gives; what `serve --models DIR` and `check --models DIR` read.
public struct ModelRepository: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// One model directory that did not pass the gate, and why.
    public struct Refusal: Sendable {
        public let directory: String
        public let reason: String
    }

    /// Every model directory in the folder, by full path, in name order.
    public func directories() throws(LoadError) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .inaccessible("cannot list the model repository \(path): \(error)")
        }
        return entries.sorted().map { URL(filePath: path).appending(path: $0).path }.filter {
            FileManager.default.fileExists(
                atPath: URL(filePath: $0).appending(path: "model.json").path)
        }
    }

    /// Loads and gates each directory on its own: one bad model refuses that model only.
    /// Two directories with one manifest name: the first (by directory name) wins. One at a
    /// time: loading several at once raised the worker's peak RSS by about 1 MiB (each load's
    /// garbage at once, and the threads' malloc arenas) for a few milliseconds of start-up.
    public func scan(
        admit: (String) throws(LoadError) -> ModelBundle = { path throws(LoadError) in
            try ModelBundle.admit(path: path)
        }
    ) throws(LoadError) -> (
        admitted: [(directory: String, bundle: ModelBundle)], refused: [Refusal]
    ) {
        var admitted: [(directory: String, bundle: ModelBundle)] = []
        var refused: [Refusal] = []
        for directory in try directories() {
            do {
                let bundle = try admit(directory)
                if let first = admitted.first(where: { $0.bundle.name == bundle.name }) {
                    refused.append(
                        Refusal(
                            directory: directory,
                            reason: "model '\(bundle.name)' is already served from "
                                + first.directory))
                    continue
                }
                admitted.append((directory, bundle))
            } catch {
                refused.append(Refusal(directory: directory, reason: error.message))
            }
        }
        return (admitted, refused)
    }
}

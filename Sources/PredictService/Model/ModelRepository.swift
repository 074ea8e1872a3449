import Dispatch
import Synchronization

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

    /// Loads and gates each directory on its own, several at once (each model's load and
    /// golden replay is independent work): one bad model refuses that model only. Two
    /// directories with one manifest name: the first (by directory name) wins.
    public func scan(
        admit: @Sendable (String) throws(LoadError) -> ModelBundle = { path throws(LoadError) in
            try ModelBundle.admit(path: path)
        }
    ) throws(LoadError) -> (
        admitted: [(directory: String, bundle: ModelBundle)], refused: [Refusal]
    ) {
        let directories = try directories()
        let outcomes = Mutex(
            [Result<ModelBundle, LoadError>?](repeating: nil, count: directories.count))
        DispatchQueue.concurrentPerform(iterations: directories.count) { index in
            let outcome = Result { () throws(LoadError) in try admit(directories[index]) }
            outcomes.withLock { $0[index] = outcome }
        }
        var admitted: [(directory: String, bundle: ModelBundle)] = []
        var refused: [Refusal] = []
        for (directory, outcome) in zip(directories, outcomes.withLock { $0 }) {
            switch outcome! {
            case .success(let bundle):
                if let first = admitted.first(where: { $0.bundle.name == bundle.name }) {
                    refused.append(
                        Refusal(
                            directory: directory,
                            reason: "model '\(bundle.name)' is already served from "
                                + first.directory))
                    continue
                }
                admitted.append((directory, bundle))
            case .failure(let error):
                refused.append(Refusal(directory: directory, reason: error.message))
            }
        }
        return (admitted, refused)
    }
}

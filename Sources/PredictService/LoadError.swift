/// A model, a model repository or the keys file that cannot be served: the other channel
/// of PredictService's errors, next to `ServiceError`.
///
/// Raised while the worker starts, at a reload and by the commands (`check`, `score`,
/// `keys`), and reported on standard error or in the log; it has no status, because no
/// client is ever answered with it. The message says where (the file, the golden case),
/// what was expected and what was found.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which part of the gate refused, as static members over a private enum (new kinds can
    /// be added without breaking callers that switch on the ones they know).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case inaccessible, invalidManifest, invalidModel, invalidGolden, invalidConfiguration
            case invalidKeys
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A file or directory is missing, or cannot be read, listed or written.
        public static let inaccessible = Kind(.inaccessible)
        /// `model.json` is not a manifest, or its `sha256` is not the model file's.
        public static let invalidManifest = Kind(.invalidManifest)
        /// The runtime refuses the ONNX file, or the graph does not fit its manifest, has no
        /// classifier outputs this service can serve, or fails its probe row.
        public static let invalidModel = Kind(.invalidModel)
        /// `golden.jsonl` is missing, malformed, or does not replay within tolerance.
        public static let invalidGolden = Kind(.invalidGolden)
        /// The models and the flags do not fit together: no model can be served, a default
        /// model that is not served or none named among several, two models of one name, a
        /// model renamed under a running worker.
        public static let invalidConfiguration = Kind(.invalidConfiguration)
        /// The keys file does not parse, or cannot be changed as asked.
        public static let invalidKeys = Kind(.invalidKeys)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    /// One line: where, what was expected, what was found.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The same error, its message placed after `location` (a file's path).
    func located(at location: String) -> LoadError {
        LoadError(kind, "\(location): \(message)")
    }

    static func inaccessible(_ message: String) -> LoadError {
        LoadError(.inaccessible, message)
    }

    static func invalidManifest(_ message: String) -> LoadError {
        LoadError(.invalidManifest, message)
    }

    static func invalidModel(_ message: String) -> LoadError {
        LoadError(.invalidModel, message)
    }

    static func invalidGolden(_ message: String) -> LoadError {
        LoadError(.invalidGolden, message)
    }

    static func invalidConfiguration(_ message: String) -> LoadError {
        LoadError(.invalidConfiguration, message)
    }

    static func invalidKeys(_ message: String) -> LoadError {
        LoadError(.invalidKeys, message)
    }
}

/// `model.json`: what the data team declares about a model next to its ONNX file.
///
/// The manifest is the contract a client sees at `GET /model`; loading cross-checks it
/// against the graph, so a manifest that disagrees with its model is refused.
public struct Manifest: Sendable {
    public struct FeatureSpec: Sendable, Equatable {
        public let name: String
        public let kind: Feature.Kind
        public let nullable: Bool
        public let categories: [String]
        public let range: ClosedRange<Double>?
    }

    public let name: String
    public let version: String
    public let modelFile: String
    public let sha256: String
    public let features: [FeatureSpec]
    public let labels: [String]
    public let labelOutput: String?
    public let probabilitiesOutput: String?
    /// The whole document, served as-is by `GET /model`.
    public let document: JSONValue

    /// Reads a manifest document; every problem names the key it is about.
    public init(_ document: JSONValue) throws(LoadError) {
        guard case .object = document else { throw Self.invalid("the manifest is not an object") }
        self.document = document
        name = try Self.string(document["name"], "name")
        version = try Self.string(document["version"], "version")
        modelFile = try Self.string(document["model_file"] ?? .string("model.onnx"), "model_file")
        sha256 = try Self.string(document["sha256"], "sha256").lowercased()
        guard case .array(let featureValues)? = document["features"], !featureValues.isEmpty else {
            throw Self.invalid("'features' must be a non-empty array")
        }
        var features: [FeatureSpec] = []
        for (position, value) in featureValues.enumerated() {
            features.append(try Self.feature(value, at: "features[\(position)]"))
        }
        self.features = features
        guard case .array(let labelValues)? = document["labels"], labelValues.count >= 2 else {
            throw Self.invalid("'labels' must be an array of at least two class names")
        }
        var labels: [String] = []
        for (position, value) in labelValues.enumerated() {
            labels.append(try Self.string(value, "labels[\(position)]"))
        }
        self.labels = labels
        labelOutput = try Self.optionalString(document["outputs"]?["label"], "outputs.label")
        probabilitiesOutput = try Self.optionalString(
            document["outputs"]?["probabilities"], "outputs.probabilities")
    }

    private static func feature(
        _ value: JSONValue, at path: String
    ) throws(LoadError)
        -> FeatureSpec
    {
        let name = try string(value["name"], path + ".name")
        let typeName = try string(value["type"], path + ".type")
        guard let kind = Feature.Kind(rawValue: typeName) else {
            throw invalid("\(path).type must be 'number' or 'category', found '\(typeName)'")
        }
        var nullable = false
        if let flag = value["nullable"] {
            guard case .bool(let bool) = flag else {
                throw invalid("\(path).nullable must be a boolean")
            }
            nullable = bool
        }
        var categories: [String] = []
        if case .array(let items)? = value["categories"] {
            for (position, item) in items.enumerated() {
                categories.append(try string(item, "\(path).categories[\(position)]"))
            }
        }
        var range: ClosedRange<Double>?
        if case .number(let low)? = value["min"], case .number(let high)? = value["max"] {
            guard low <= high else { throw invalid("\(path): min \(low) is above max \(high)") }
            range = low...high
        }
        return FeatureSpec(
            name: name, kind: kind, nullable: nullable, categories: categories, range: range)
    }

    private static func string(_ value: JSONValue?, _ path: String) throws(LoadError) -> String {
        guard case .string(let text)? = value, !text.isEmpty else {
            throw invalid("'\(path)' must be a non-empty string")
        }
        return text
    }

    private static func optionalString(
        _ value: JSONValue?, _ path: String
    ) throws(LoadError)
        -> String?
    {
        guard let value else { return nil }
        return try string(value, path)
    }

    private static func invalid(_ message: String) -> LoadError {
        .invalidManifest("model.json: " + message)
    }
}

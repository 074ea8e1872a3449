import ONNXRuntime

extension ModelBundle {
    /// The feature schema: the manifest's, checked against the graph inputs, or one derived
    /// from the graph inputs alone.
    static func features(
        of model: InferenceModel, manifest: Manifest?
    ) throws(LoadError)
        -> [Feature]
    {
        var inputs: [String: TensorInfo] = [:]
        for input in model.inputs { inputs[input.name] = input }
        guard let manifest else {
            return try model.inputs.map { input throws(LoadError) in
                let kind: Feature.Kind = input.elementType == .string ? .category : .number
                let nullable = input.elementType == .float || input.elementType == .double
                return try feature(
                    input, kind: kind, nullable: nullable, categories: [], range: nil)
            }
        }
        var seen = Set<String>()
        var features: [Feature] = []
        for spec in manifest.features {
            guard let input = inputs[spec.name] else {
                throw .invalidModel(
                    "model.json declares feature '\(spec.name)', but the graph has no such input; "
                        + "inputs are " + model.inputs.map(\.name).joined(separator: ", "))
            }
            guard seen.insert(spec.name).inserted else {
                throw .invalidModel("model.json declares feature '\(spec.name)' twice")
            }
            features.append(
                try feature(
                    input, kind: spec.kind, nullable: spec.nullable, categories: spec.categories,
                    range: spec.range))
        }
        let undeclared = model.inputs.map(\.name).filter { !seen.contains($0) }
        guard undeclared.isEmpty else {
            throw .invalidModel(
                "the graph needs inputs that model.json does not declare: "
                    + undeclared.joined(separator: ", "))
        }
        return features
    }

    private static func feature(
        _ input: TensorInfo, kind: Feature.Kind, nullable: Bool, categories: [String],
        range: ClosedRange<Double>?
    ) throws(LoadError) -> Feature {
        let name = input.name
        switch (kind, input.elementType) {
        case (.number, .float), (.number, .double), (.number, .int64), (.category, .string):
            break
        default:
            throw .invalidModel(
                "feature '\(name)' is declared as \(kind.rawValue), but graph input '\(name)' "
                    + "holds \(input.elementType) values")
        }
        if nullable && input.elementType != .float && input.elementType != .double {
            throw .invalidModel(
                "feature '\(name)' is nullable, but only float inputs can carry a missing value "
                    + "(as NaN); graph input '\(name)' holds \(input.elementType) values")
        }
        let shape = input.shape ?? [.symbolic(nil), .fixed(1)]
        let width: Int
        switch shape.count {
        case 1:
            width = 1
        case 2:
            guard case .fixed(let columns) = shape[1], columns >= 1 else {
                throw .invalidModel(
                    "graph input '\(name)' must have a fixed second dimension, found \(shape[1])")
            }
            width = columns
        default:
            throw .invalidModel(
                "graph input '\(name)' must be shaped [N] or [N, k], found rank \(shape.count)")
        }
        return Feature(
            name: name, kind: kind, nullable: nullable, categories: categories, range: range,
            elementType: input.elementType, rank: shape.count, width: width)
    }

    /// The names of the label and probability outputs: the manifest's, or by skl2onnx's
    /// convention the outputs named `label` and `probabilities`, else the first of each type.
    /// The probabilities may be ZipMap's sequence of maps (skl2onnx's default export), whose
    /// dense form the runtime hands back; its keys must then be of the label's type.
    static func outputs(
        of model: InferenceModel, manifest: Manifest?
    ) throws(LoadError)
        -> (label: String, probabilities: String)
    {
        let outputs = model.outputs
        let label =
            manifest?.labelOutput
            ?? (outputs.first { $0.name == "label" }
            ?? outputs.first { $0.elementType == .int64 || $0.elementType == .string })?.name
        let probabilities =
            manifest?.probabilitiesOutput
            ?? (outputs.first { $0.name == "probabilities" }
            ?? outputs.first { $0.elementType == .float || $0.elementType == .double })?.name
        guard let label, let labelInfo = outputs.first(where: { $0.name == label }),
            labelInfo.elementType == .int64 || labelInfo.elementType == .string
        else {
            throw .invalidModel(
                "the graph has no int64 or string label output"
                    + (manifest?.labelOutput.map { " named '\($0)'" } ?? ""))
        }
        guard let probabilities,
            let scoreInfo = outputs.first(where: { $0.name == probabilities }),
            scoreInfo.elementType == .float || scoreInfo.elementType == .double
        else {
            throw .invalidModel(
                "the graph has no float probabilities output"
                    + (manifest?.probabilitiesOutput.map { " named '\($0)'" } ?? ""))
        }
        if case .sequenceOfMaps(let keyType) = scoreInfo.kind, keyType != labelInfo.elementType {
            throw .invalidModel(
                "the probabilities output '\(probabilities)' maps \(keyType) keys, but the "
                    + "label output '\(label)' holds \(labelInfo.elementType) labels")
        }
        return (label, probabilities)
    }

    /// What the score output holds and which class each column belongs to. Two classes with
    /// a single score column mean the positive class's decision score (skl2onnx's binary
    /// LinearSVC); a classifier's raw scores passed straight to the output mean one decision
    /// score per class (multiclass LinearSVC), and so does a probe row whose scores are no
    /// probability distribution (an SVC without probabilities, whose votes skl2onnx turns
    /// into per-class scores); anything else is one probability per class. Pairwise SVM
    /// decision values belong to no class once there are more than two, so such a model is
    /// refused.
    static func scoreOutput(
        of model: InferenceModel, named name: String, labels: [String], probeScores: [Float]
    ) throws(LoadError) -> (ScoreOutput, [String]) {
        let info = model.outputs.first { $0.name == name }
        if labels.count == 2, let info, case .tensor = info.kind, info.shape?.last == .fixed(1) {
            return (.decisionScore, [labels[1]])
        }
        switch model.scoreKinds[name] {
        case .margins?:
            return (.decisionScore, labels)
        case .pairwiseMargins? where labels.count > 2:
            throw .invalidModel(
                "output '\(name)' holds an SVM's decision values, one per pair of the "
                    + "\(labels.count) classes, which belong to no single class; export the SVC "
                    + "with probability=True to serve it")
        case .pairwiseMargins?:
            return (.decisionScore, labels)
        case .probabilities?, nil:
            return (isDistribution(probeScores) ? .probabilities : .decisionScore, labels)
        }
    }

    /// Whether one row's scores can be probabilities: each in [0, 1], summing to 1 within
    /// float32 rounding.
    static func isDistribution(_ scores: [Float]) -> Bool {
        scores.allSatisfy { $0 >= 0 && $0 <= 1 } && abs(scores.reduce(0, +) - 1) <= 1e-3
    }

    /// `document` with an `output` member saying what the score output holds, unless the
    /// manifest already states one.
    static func stating(_ output: ScoreOutput, in document: JSONValue) -> JSONValue {
        guard case .object(let members) = document, document["output"] == nil else {
            return document
        }
        return .object(members + [JSONMember("output", .string(output.rawValue))])
    }

    /// Class display names in probability order, and how label values find their position.
    static func labels(
        of model: InferenceModel, manifest: Manifest?, labelOutput: String
    ) throws(LoadError)
        -> ([String], ClassLookup)
    {
        switch model.classLabels {
        case .int64s(let ids):
            let names = try displayNames(manifest, classCount: ids.count) ?? ids.map { String($0) }
            if model.positionalLabelOutputs.contains(labelOutput) { return (names, .position) }
            var lookup: [Int64: Int] = [:]
            for (position, id) in ids.enumerated() { lookup[id] = position }
            return (names, .int64(lookup))
        case .strings(let classes):
            let names = try displayNames(manifest, classCount: classes.count) ?? classes
            var lookup: [String: Int] = [:]
            for (position, name) in classes.enumerated() { lookup[name] = position }
            return (names, .string(lookup))
        case nil:
            guard let manifest else {
                throw .invalidModel(
                    "the graph names no class labels (no classifier node) and there is no "
                        + "model.json to list them")
            }
            return (manifest.labels, .position)
        }
    }

    private static func displayNames(
        _ manifest: Manifest?, classCount: Int
    ) throws(LoadError)
        -> [String]?
    {
        guard let manifest else { return nil }
        guard manifest.labels.count == classCount else {
            throw .invalidModel(
                "model.json lists \(manifest.labels.count) labels, but the classifier has "
                    + "\(classCount) classes")
        }
        return manifest.labels
    }

    /// The `GET /model` document of a bare ONNX file.
    static func describe(
        name: String, sha256: String, model: InferenceModel, features: [Feature],
        labels: [String]
    ) -> JSONValue {
        let featureValues: [JSONValue] = features.map { feature in
            var members = [
                JSONMember("name", .string(feature.name)),
                JSONMember("type", .string(feature.kind.rawValue)),
                JSONMember("nullable", .bool(feature.nullable)),
            ]
            if feature.width > 1 {
                members.append(JSONMember("width", .number(Double(feature.width))))
            }
            return .object(members)
        }
        return .object([
            JSONMember("name", .string(name)),
            JSONMember("version", .string("sha256-" + sha256.prefix(12))),
            JSONMember("sha256", .string(sha256)),
            JSONMember("producer", .string(model.producer)),
            JSONMember("features", .array(featureValues)),
            JSONMember("labels", .array(labels.map { .string($0) })),
        ])
    }
}

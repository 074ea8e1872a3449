/// Writes the JSON documents of the API.
enum ResponseEncoder {
    static func prediction(_ prediction: Prediction, bundle: ModelBundle) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        write(prediction, bundle: bundle, into: &writer)
        writeModel(bundle, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The same from the row path's label and scores.
    static func prediction(
        labelIndex: Int, scores: UnsafeBufferPointer<Float>, bundle: ModelBundle
    ) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        write(
            labelIndex: labelIndex, output: bundle.output, scores: scores, warnings: [],
            bundle: bundle, into: &writer)
        writeModel(bundle, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    static func predictions(_ predictions: [Prediction], bundle: ModelBundle) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + predictions.count * 96)
        writer.beginObject()
        writer.key("predictions")
        writer.beginArray()
        for prediction in predictions {
            writer.beginObject()
            write(prediction, bundle: bundle, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writeModel(bundle, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The members of one prediction object: label, then `probabilities` (class → p) or, for a
    /// decision-score model, `scores` (class → margin), then warnings.
    static func write(
        _ prediction: Prediction, bundle: ModelBundle, into writer: inout JSONWriter
    ) {
        write(
            labelIndex: prediction.labelIndex, output: prediction.scores.output,
            scores: prediction.scores.values,
            warnings: prediction.warnings, bundle: bundle, into: &writer)
    }

    private static func write(
        labelIndex: Int, output: ModelBundle.ScoreOutput, scores: some Collection<Float>,
        warnings: [PredictionWarning], bundle: ModelBundle, into writer: inout JSONWriter
    ) {
        writer.key("label")
        writer.string(bundle.labels[labelIndex])
        switch output {
        case .probabilities: writer.key("probabilities")
        case .decisionScore: writer.key("scores")
        }
        writer.beginObject()
        for (label, score) in zip(bundle.scoredLabels, scores) {
            writer.key(label)
            writer.number(score)
        }
        writer.endObject()
        writer.key("warnings")
        writer.beginArray()
        for warning in warnings {
            writer.beginObject()
            writer.key("code")
            writer.string(warning.code)
            writer.key("field")
            writer.string(warning.field)
            writer.key("message")
            writer.string(warning.message)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func writeModel(_ bundle: ModelBundle, into writer: inout JSONWriter) {
        writer.key("model")
        writer.beginObject()
        writer.key("name")
        writer.string(bundle.name)
        writer.key("version")
        writer.string(bundle.version)
        writer.endObject()
    }

    static func error(_ error: ServiceError) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("code")
        writer.string(error.code.rawValue)
        writer.key("message")
        writer.string(error.message)
        writer.key("field")
        if let field = error.field { writer.string(field) } else { writer.null() }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// `{"status": "ok", "model": {...}}`, the model being the default one, if any.
    static func health(_ bundle: ModelBundle?) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status")
        writer.string("ok")
        if let bundle { writeModel(bundle, into: &writer) }
        writer.endObject()
        return writer.bytes
    }

    /// `GET /models`: each model's name and version, and which one `/predict` serves.
    static func list(_ bundles: [ModelBundle], defaultName: String?) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + bundles.count * 64)
        writer.beginObject()
        writer.key("models")
        writer.beginArray()
        for bundle in bundles {
            writer.beginObject()
            writer.key("name")
            writer.string(bundle.name)
            writer.key("version")
            writer.string(bundle.version)
            writer.key("default")
            writer.bool(bundle.name == defaultName)
            writer.endObject()
        }
        writer.endArray()
        writer.key("default")
        if let defaultName { writer.string(defaultName) } else { writer.null() }
        writer.endObject()
        return writer.bytes
    }

    static func document(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter(capacity: 4096)
        writer.value(value)
        return writer.bytes
    }
}

/// The JSON documents of the Open Inference Protocol v2 REST API.
enum InferenceEncoder {
    /// `label` (BYTES `[N]`), then `probabilities` or, for a decision-score model, `scores`
    /// (FP32 `[N, classes]`).
    static func outputNames(_ bundle: ModelBundle) -> [String] {
        ["label", scoreOutput(bundle)]
    }

    static func scoreOutput(_ bundle: ModelBundle) -> String {
        bundle.output == .probabilities ? "probabilities" : "scores"
    }

    static func server(version: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("name")
        writer.string("predict-fcgi")
        writer.key("version")
        writer.string(version)
        writer.key("extensions")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    static func flag(_ key: String, _ value: Bool) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key(key)
        writer.bool(value)
        writer.endObject()
        return writer.bytes
    }

    static func ready(_ bundle: ModelBundle) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("name")
        writer.string(bundle.name)
        writer.key("ready")
        writer.bool(true)
        writer.endObject()
        return writer.bytes
    }

    static func metadata(_ bundle: ModelBundle) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("name")
        writer.string(bundle.name)
        writer.key("versions")
        writer.beginArray()
        writer.string(bundle.version)
        writer.endArray()
        writer.key("platform")
        writer.string("onnx")
        writer.key("inputs")
        writer.beginArray()
        for feature in bundle.features {
            tensorMetadata(
                feature.name, datatype: datatype(of: feature),
                shape: feature.width == 1 ? [-1] : [-1, feature.width], into: &writer)
        }
        writer.endArray()
        writer.key("outputs")
        writer.beginArray()
        tensorMetadata("label", datatype: "BYTES", shape: [-1], into: &writer)
        tensorMetadata(
            scoreOutput(bundle), datatype: "FP32", shape: [-1, bundle.scoredLabels.count],
            into: &writer)
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    static func inference(
        _ predictions: [Prediction], bundle: ModelBundle, id: String?, outputs: [String]?
    ) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + predictions.count * 48)
        writer.beginObject()
        writer.key("model_name")
        writer.string(bundle.name)
        writer.key("model_version")
        writer.string(bundle.version)
        if let id {
            writer.key("id")
            writer.string(id)
        }
        writer.key("outputs")
        writer.beginArray()
        for name in outputs ?? outputNames(bundle) {
            writer.beginObject()
            writer.key("name")
            writer.string(name)
            if name == "label" {
                writer.key("datatype")
                writer.string("BYTES")
                writer.key("shape")
                writer.beginArray()
                writer.number(predictions.count)
                writer.endArray()
                writer.key("data")
                writer.beginArray()
                for prediction in predictions {
                    writer.string(bundle.labels[prediction.labelIndex])
                }
                writer.endArray()
            } else {
                writer.key("datatype")
                writer.string("FP32")
                writer.key("shape")
                writer.beginArray()
                writer.number(predictions.count)
                writer.number(bundle.scoredLabels.count)
                writer.endArray()
                writer.key("data")
                writer.beginArray()
                for prediction in predictions {
                    for score in prediction.scores.values { writer.number(score) }
                }
                writer.endArray()
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// The protocol's error object: `{"error": "..."}`.
    static func error(_ error: ServiceError) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(error.message)
        writer.endObject()
        return writer.bytes
    }

    private static func datatype(of feature: Feature) -> String {
        switch (feature.kind, feature.elementType) {
        case (.category, _): "BYTES"
        case (_, .int64): "INT64"
        case (_, .int32): "INT32"
        case (_, .double): "FP64"
        default: "FP32"
        }
    }

    private static func tensorMetadata(
        _ name: String, datatype: String, shape: [Int], into writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        writer.key("datatype")
        writer.string(datatype)
        writer.key("shape")
        writer.beginArray()
        for dimension in shape { writer.number(dimension) }
        writer.endArray()
        writer.endObject()
    }
}

/// An Open Inference Protocol v2 inference request (`POST /v2/models/{name}/infer`), read
/// into the rows the model's own decoder validates.
///
/// Each input tensor is one feature: `shape` `[N]` (or `[N, 1]`, or `[N, width]` for a wide
/// feature), `data` row-major and flat or nested, `datatype` `BYTES` for a category and a
/// numeric type for a number. Binary tensor data (a Triton extension) is refused.
struct InferenceRequest {
    /// One object per row, feature name → value, as `POST /predict` takes them.
    let rows: [JSONValue]
    let id: String?
    /// The outputs asked for, in the request's order; nil for all.
    let outputs: [String]?

    static let numericTypes: Set<String> = [
        "BOOL", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "FP16",
        "FP32", "FP64",
    ]

    init(_ document: JSONValue, bundle: ModelBundle, maximumRows: Int) throws(ServiceError) {
        guard case .object(let members) = document else {
            throw .invalidBody("the body must be an inference request object with 'inputs'")
        }
        for member in members {
            switch member.key {
            case "id", "parameters", "inputs", "outputs": continue
            // KServe's client repeats the model in the body; it must agree with the path.
            case "model_name" where member.value == .string(bundle.name): continue
            case "model_version" where member.value == .string(bundle.version): continue
            case "model_name", "model_version":
                throw .invalidBody(
                    "'\(member.key)' in the body does not match the model of the path, "
                        + "'\(bundle.name)' \(bundle.version)")
            default:
                throw .invalidBody("'\(member.key)' is not a member of an inference request")
            }
        }
        switch document["id"] {
        case nil: id = nil
        case .string(let text)?: id = text
        default: throw .invalidBody("'id' must be a string", field: "id")
        }
        try Self.refuseBinary(document["parameters"], at: "parameters")
        outputs = try Self.requestedOutputs(document["outputs"], bundle: bundle)
        guard case .array(let inputs)? = document["inputs"], !inputs.isEmpty else {
            throw .invalidBody("'inputs' must be a non-empty array of tensors", field: "inputs")
        }

        var columns: [(feature: Feature, values: [JSONValue])] = []
        var rowCount: Int?
        for (position, input) in inputs.enumerated() {
            let tensor = try Tensor(input, at: "inputs[\(position)]")
            guard let column = bundle.featureIndex[tensor.name] else {
                throw ServiceError.unknownField(
                    tensor.name, suggestion: bundle.suggestion(for: tensor.name))
            }
            guard !columns.contains(where: { $0.feature.name == tensor.name }) else {
                throw .duplicateField(tensor.name)
            }
            let feature = bundle.features[column]
            try tensor.check(against: feature)
            let rows = tensor.shape[0]
            if let rowCount, rowCount != rows {
                throw .invalidBody(
                    "input '\(tensor.name)' has \(rows) rows, input '\(columns[0].feature.name)' "
                        + "\(rowCount); every input needs the same first dimension",
                    field: tensor.name)
            }
            rowCount = rows
            columns.append((feature, tensor.data))
        }
        guard let rowCount, rowCount > 0 else {
            throw .invalidBody("the inputs hold no rows; send at least one", field: "inputs")
        }
        guard rowCount <= maximumRows else { throw .batchTooLarge(rowCount, limit: maximumRows) }

        var rows: [JSONValue] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var members: [JSONMember] = []
            members.reserveCapacity(columns.count)
            for (feature, values) in columns {
                let width = feature.width
                let value: JSONValue =
                    width == 1
                    ? values[row] : .array(Array(values[row * width..<(row + 1) * width]))
                members.append(JSONMember(feature.name, value))
            }
            rows.append(.object(members))
        }
        self.rows = rows
    }

    /// One input tensor's members.
    private struct Tensor {
        let name: String
        let shape: [Int]
        let datatype: String
        let data: [JSONValue]

        init(_ value: JSONValue, at location: String) throws(ServiceError) {
            guard case .object = value else {
                throw .invalidBody("\(location) must be a tensor object", field: location)
            }
            guard case .string(let name)? = value["name"] else {
                throw .invalidBody("\(location) needs a string 'name'", field: location)
            }
            guard case .string(let datatype)? = value["datatype"] else {
                throw .invalidBody("input '\(name)' needs a string 'datatype'", field: name)
            }
            guard case .array(let dimensions)? = value["shape"], !dimensions.isEmpty else {
                throw .invalidBody("input '\(name)' needs a 'shape' such as [rows]", field: name)
            }
            var shape: [Int] = []
            for dimension in dimensions {
                guard case .number(let number) = dimension, number >= 0,
                    number == number.rounded(), number < 1e9
                else {
                    throw .invalidBody(
                        "input '\(name)': 'shape' must hold non-negative integers", field: name)
                }
                shape.append(Int(number))
            }
            try InferenceRequest.refuseBinary(value["parameters"], at: "input '\(name)'")
            guard let data = value["data"] else {
                throw .invalidBody(
                    "input '\(name)' has no 'data'; binary tensor data is not supported",
                    field: name)
            }
            var flat: [JSONValue] = []
            Self.flatten(data, into: &flat)
            let expected = shape.reduce(1, *)
            guard flat.count == expected else {
                throw .invalidBody(
                    "input '\(name)' has \(flat.count) values for shape \(shape) "
                        + "(\(expected) values)", field: name)
            }
            self.name = name
            self.shape = shape
            self.datatype = datatype
            self.data = flat
        }

        /// The shape and datatype a feature needs: `[N]` or `[N, width]`; BYTES for a category.
        func check(against feature: Feature) throws(ServiceError) {
            let fits =
                (shape.count == 1 && feature.width == 1)
                || (shape.count == 2 && shape[1] == feature.width)
            guard fits else {
                let wanted = feature.width == 1 ? "[rows] or [rows, 1]" : "[rows, \(feature.width)]"
                throw .invalidBody(
                    "input '\(name)' has shape \(shape); this feature takes \(wanted)", field: name)
            }
            switch feature.kind {
            case .category where datatype != "BYTES":
                throw .invalidBody(
                    "input '\(name)' is a category; send it as BYTES, not \(datatype)", field: name)
            case .number where !InferenceRequest.numericTypes.contains(datatype):
                throw .invalidBody(
                    "input '\(name)' is a number; send it as FP32, FP64 or INT64, not \(datatype)",
                    field: name)
            default: break
            }
        }

        private static func flatten(_ value: JSONValue, into flat: inout [JSONValue]) {
            if case .array(let elements) = value {
                for element in elements { flatten(element, into: &flat) }
            } else {
                flat.append(value)
            }
        }
    }

    private static func requestedOutputs(
        _ value: JSONValue?, bundle: ModelBundle
    ) throws(ServiceError) -> [String]? {
        guard let value else { return nil }
        guard case .array(let requested) = value else {
            throw .invalidBody("'outputs' must be an array of {\"name\": ...}", field: "outputs")
        }
        let known = InferenceEncoder.outputNames(bundle)
        var names: [String] = []
        for output in requested {
            guard case .string(let name)? = output["name"] else {
                throw .invalidBody("each of 'outputs' needs a string 'name'", field: "outputs")
            }
            guard known.contains(name) else {
                throw .invalidBody(
                    "'\(name)' is not an output of this model; outputs are "
                        + known.joined(separator: ", "), field: "outputs")
            }
            try refuseBinary(output["parameters"], at: "output '\(name)'")
            names.append(name)
        }
        return names
    }

    /// Triton's binary tensor extension is not part of the protocol's JSON tensors.
    private static func refuseBinary(
        _ parameters: JSONValue?, at location: String
    )
        throws(ServiceError)
    {
        guard let parameters else { return }
        guard case .object(let members) = parameters else {
            throw .invalidBody("\(location): 'parameters' must be an object")
        }
        for member in members
        where (member.key == "binary_data" || member.key == "binary_data_output")
            && member.value == .bool(true)
        {
            throw .invalidBody(
                "\(location): binary tensor data is not supported; send and request JSON data "
                    + "(tritonclient: binary_data=False)")
        }
    }
}

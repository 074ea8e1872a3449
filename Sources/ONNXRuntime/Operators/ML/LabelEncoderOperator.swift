/// ai.onnx.ml LabelEncoder, opsets 1 to 4: maps each input element through `keys_*` →
/// `values_*` (or, in opset 1, `classes_strings` ↔ their positions), the default for
/// anything else. Strings match byte for byte; float keys match NaN to NaN and -0 to 0,
/// as onnxruntime's hash map does.
enum LabelEncoderOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "LabelEncoder"
    static let opsets = 1...4

    /// A key as onnxruntime compares it.
    enum Key: Hashable {
        case bytes([UInt8])
        case integer(Int64)
        case number(UInt64)

        static func number(_ value: Double) -> Key {
            .number(value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : value).bitPattern)
        }
    }

    final class LabelEncoderKernel: Kernel {
        let positions: [Key: Int]
        /// The values in key order, then the default.
        let values: Tensor.Storage
        let defaultPosition: Int

        init(positions: [Key: Int], values: Tensor.Storage, defaultPosition: Int) {
            self.positions = positions
            self.values = values
            self.defaultPosition = defaultPosition
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let indices: [Int]
            switch input.storage {
            case .string(let x):
                indices = x.map { positions[.bytes(Array($0.utf8))] ?? defaultPosition }
            case .int64(let x): indices = x.map { positions[.integer($0)] ?? defaultPosition }
            case .float(let x):
                indices = x.map { positions[.number(Double($0))] ?? defaultPosition }
            case .double(let x): indices = x.map { positions[.number($0)] ?? defaultPosition }
            case .bool: indices = []
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: values.gathering(indices)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.string, .int64, .float, .double])
        let node = context.node
        let keys: Tensor.Storage
        var values: Tensor.Storage
        if context.opset < 2 {
            let classes = try node.strings("classes_strings") ?? []
            if context.inputTypes[0] == .string {
                keys = .string(classes)
                values = .int64(
                    classes.indices.map { Int64($0) } + [try node.int("default_int64", default: -1)]
                )
            } else {
                keys = .int64(classes.indices.map { Int64($0) })
                values = .string(classes + [try node.string("default_string", default: "_Unused")])
            }
        } else {
            keys = try storage(node, prefix: "keys", withDefault: false)
            values = try storage(node, prefix: "values", withDefault: true)
        }
        let keyCount = keys.count
        guard values.count - 1 == keyCount else {
            throw .attribute(
                node, "values",
                "has \(values.count - 1) values but the keys number \(keyCount); expected one value per key"
            )
        }
        guard keys.elementType == context.inputTypes[0] else {
            throw ModelError(
                .unsupportedType,
                "\(node.label): expected input 0 ('\(node.inputs[0])') of \(keys.elementType) like the keys, found \(context.inputTypes[0])"
            )
        }
        var positions: [Key: Int] = [:]
        let keyList: [Key]
        switch keys {
        case .string(let k): keyList = k.map { .bytes(Array($0.utf8)) }
        case .int64(let k): keyList = k.map { .integer($0) }
        case .float(let k): keyList = k.map { .number(Double($0)) }
        case .double(let k): keyList = k.map { .number($0) }
        case .bool: keyList = []
        }
        // The first occurrence of a repeated key wins, as onnxruntime's map emplace.
        for (position, key) in keyList.enumerated() where positions[key] == nil {
            positions[key] = position
        }
        let kernel = LabelEncoderKernel(
            positions: positions, values: values, defaultPosition: keyCount)
        return (kernel, [values.elementType])
    }

    /// `keys_*` or `values_*` (with the matching `default_*` appended), from the list
    /// attributes or the opset-4 `*_tensor`; exactly one must be present.
    private static func storage(
        _ node: Node, prefix: String, withDefault: Bool
    ) throws(ModelError) -> Tensor.Storage {
        var found: [Tensor.Storage] = []
        if let list = try node.strings("\(prefix)_strings") {
            found.append(
                .string(
                    list
                        + (withDefault
                            ? [try node.string("default_string", default: "_Unused")] : [])))
        }
        if let list = try node.ints("\(prefix)_int64s") {
            found.append(
                .int64(list + (withDefault ? [try node.int("default_int64", default: -1)] : [])))
        }
        if let list = try node.floats("\(prefix)_floats") {
            var fallback: Float = -0.0
            if withDefault, let attribute = node.attribute("default_float") {
                fallback = attribute.float ?? fallback
            }
            found.append(.float(list + (withDefault ? [fallback] : [])))
        }
        if let proto = try node.tensor("\(prefix)_tensor") {
            let tensor = try proto.tensor(context: "\(node.label) attribute '\(prefix)_tensor'")
            var storage = tensor.storage
            if withDefault {
                let fallback = try node.tensor("default_tensor").map { proto throws(ModelError) in
                    try proto.tensor(context: "\(node.label) attribute 'default_tensor'")
                }
                storage = try appending(storage, fallback, node)
            }
            found.append(storage)
        }
        guard found.count == 1 else {
            throw .attribute(
                node, "\(prefix)_strings",
                "expected exactly one of \(prefix)_strings, \(prefix)_int64s, \(prefix)_floats, \(prefix)_tensor, found \(found.count)"
            )
        }
        return found[0]
    }

    private static func appending(
        _ storage: Tensor.Storage, _ fallback: Tensor?, _ node: Node
    ) throws(ModelError) -> Tensor.Storage {
        switch (storage, fallback?.storage) {
        case (.string(let v), nil): return .string(v + ["_Unused"])
        case (.int64(let v), nil): return .int64(v + [-1])
        case (.float(let v), nil): return .float(v + [-0.0])
        case (.double(let v), nil): return .double(v + [-0.0])
        case (.string(let v), .string(let d)?) where d.count == 1: return .string(v + d)
        case (.int64(let v), .int64(let d)?) where d.count == 1: return .int64(v + d)
        case (.float(let v), .float(let d)?) where d.count == 1: return .float(v + d)
        case (.double(let v), .double(let d)?) where d.count == 1: return .double(v + d)
        default:
            throw .attribute(
                node, "default_tensor",
                "expected one value of the values_tensor type, found \(fallback.map { "\($0.count) of \($0.elementType)" } ?? "none")"
            )
        }
    }
}

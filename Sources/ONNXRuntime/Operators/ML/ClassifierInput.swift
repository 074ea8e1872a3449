/// What LinearClassifier and SVMClassifier share: their rank-1 or rank-2 input as float32
/// rows (onnxruntime converts double and int64 input to float first), their labels, and
/// how a label output is written.
enum ClassifierInput {
    /// `(rows, features, values)`; rank 1 is one row.
    static func rows(_ input: Tensor, _ node: Node) throws(ModelError) -> (Int, Int, [Float]) {
        let values: [Float]
        switch input.storage {
        case .float(let x): values = x
        case .double(let x): values = x.map { Float($0) }
        case .int64(let x): values = x.map { Float($0) }
        default: values = []
        }
        switch input.shape.count {
        case 1: return (1, input.shape[0], values)
        case 2: return (input.shape[0], input.shape[1], values)
        default:
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of rank 1 or 2, found shape \(input.shape)"
            )
        }
    }

    /// `classlabels_strings` or `classlabels_ints`, exactly one non-empty.
    static func labels(_ node: Node) throws(ModelError) -> ClassLabels {
        let strings = try node.strings("classlabels_strings") ?? []
        let ints = try node.ints("classlabels_ints") ?? []
        guard strings.isEmpty != ints.isEmpty else {
            throw .attribute(
                node, "classlabels_ints",
                "expected exactly one of classlabels_strings and classlabels_ints, found "
                    + (strings.isEmpty ? "neither" : "both"))
        }
        return strings.isEmpty ? .int64s(ints) : .strings(strings)
    }

    /// The label tensor for `positions` into `labels`.
    static func labelTensor(_ labels: ClassLabels, _ positions: [Int]) -> Tensor {
        switch labels {
        case .int64s(let ids):
            Tensor(shape: [positions.count], storage: .int64(positions.map { ids[$0] }))
        case .strings(let names):
            Tensor(shape: [positions.count], storage: .string(positions.map { names[$0] }))
        }
    }

    static func labelType(_ labels: ClassLabels) -> ElementType {
        if case .strings = labels { .string } else { .int64 }
    }

    static func postTransform(_ node: Node) throws(ModelError) -> PostTransform {
        let name = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(rawValue: name) else {
            throw .attribute(
                node, "post_transform",
                "expected NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO or PROBIT, found '\(name)'")
        }
        return transform
    }
}

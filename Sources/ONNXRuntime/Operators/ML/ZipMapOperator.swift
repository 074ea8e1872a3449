/// ai.onnx.ml ZipMap: each row of a `[N, C]` float tensor as a map from the C class labels
/// (`classlabels_strings` or `classlabels_int64s`) to its values. Its keys name the classes
/// of graphs whose classifier is built from plain operators (KNeighbors, GaussianNB, MLP).
enum ZipMapOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "ZipMap"
    static let opsets = 1...5

    final class ZipMapKernel: MapSequenceKernel, ClassifierKernel {
        let node: Node
        let keys: ClassLabels

        var classLabels: ClassLabels { keys }

        var keyType: ElementType {
            if case .strings = keys { .string } else { .int64 }
        }

        init(node: Node, keys: ClassLabels) {
            self.node = node
            self.keys = keys
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rows: Int
            switch input.shape.count {
            case 1 where input.shape[0] == keys.count: rows = 1
            case 2 where input.shape[1] == keys.count: rows = input.shape[0]
            default:
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of shape [N, \(keys.count)] for \(keys.count) labels, found \(input.shape)"
                )
            }
            let values = Tensor(shape: [rows, keys.count], storage: input.storage)
            frame.setOutput(0, .sequenceOfMaps(MapSequence(keys: keys, values: values)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float])
        let node = context.node
        let strings = try node.strings("classlabels_strings") ?? []
        let ints = try node.ints("classlabels_int64s") ?? []
        guard strings.isEmpty != ints.isEmpty else {
            throw .attribute(
                node, "classlabels_strings",
                "expected exactly one of classlabels_strings and classlabels_int64s, found "
                    + (strings.isEmpty ? "neither" : "both"))
        }
        let keys: ClassLabels = strings.isEmpty ? .int64s(ints) : .strings(strings)
        return (ZipMapKernel(node: node, keys: keys), [.float])
    }
}

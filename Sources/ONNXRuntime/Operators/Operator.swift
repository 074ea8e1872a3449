/// An ONNX operator this runtime implements. `make` runs once per node at load: it checks the
/// node's attributes and input types and returns the kernel that evaluates it, with the
/// element type of each output, so that type errors surface at load rather than at run time.
protocol Operator: SendableMetatype {
    static var domain: String { get }
    static var opType: String { get }
    /// The opset versions of `domain` whose semantics this implementation follows.
    static var opsets: ClosedRange<Int> { get }
    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType])
    /// Whether the operator takes a subgraph attribute (Scan's body); every other node
    /// with one is refused at load.
    static var runsSubgraphs: Bool { get }
}

extension Operator {
    static var runsSubgraphs: Bool { false }
}

/// Evaluates one node: reads its inputs from the frame, writes its outputs to it. Kernels are
/// immutable after load, so one model runs on many threads.
protocol Kernel: Sendable {
    func run(_ frame: KernelFrame) throws(ModelError)
}

/// A kernel that knows the classes of its probability columns.
protocol ClassifierKernel: Kernel {
    var classLabels: ClassLabels { get }
    /// What its second output (the scores) holds.
    var scoreKind: ScoreKind { get }
    /// Whether its first output holds positions among `classLabels` rather than the labels.
    var labelsArePositions: Bool { get }
}

extension ClassifierKernel {
    var scoreKind: ScoreKind { .probabilities }
    var labelsArePositions: Bool { false }
}

/// What a kernel may know at load: the node, the element type of each input, and the values
/// of inputs that are initializers.
struct KernelContext {
    let node: Node
    let inputTypes: [ElementType]
    let constants: [Tensor?]
    let opset: Int
    /// Every imported opset, for operators that compile a subgraph.
    let opsets: [String: Int]
    /// Whether each input depends on a graph input. onnxruntime folds every other value into
    /// a constant at load, and some of its kernels take another path for a constant (MatMul
    /// prepacks B); empty means "unknown", read as varying.
    var varying: [Bool] = []

    func requireInputs(_ counts: ClosedRange<Int>) throws(ModelError) {
        guard counts.contains(node.inputs.count) else {
            let expected =
                counts.lowerBound == counts.upperBound
                ? "\(counts.lowerBound)"
                : counts.upperBound == .max
                    ? "at least \(counts.lowerBound)"
                    : "\(counts.lowerBound) to \(counts.upperBound)"
            throw .graph("\(node.label): expected \(expected) inputs, found \(node.inputs.count)")
        }
    }

    func requireType(_ input: Int, _ allowed: Set<ElementType>) throws(ModelError) {
        guard allowed.contains(inputTypes[input]) else {
            let names = allowed.map(\.description).sorted().joined(separator: " or ")
            throw ModelError(
                .unsupportedType,
                "\(node.label): expected input \(input) ('\(node.inputs[input])') of \(names), found \(inputTypes[input])"
            )
        }
    }
}

extension KernelContext {
    /// Whether onnxruntime sees input `index` as a constant after folding: an initializer, or
    /// computed from initializers alone.
    func isFolded(_ index: Int) -> Bool {
        index < varying.count && !varying[index]
    }

    /// The value of constant input `index` (an initializer), or a load error saying which
    /// input had to be constant.
    func constant(_ index: Int, _ what: String) throws(ModelError) -> Tensor {
        guard index < constants.count, let tensor = constants[index] else {
            throw .graph(
                "\(node.label): expected \(what) (input \(index)) to be an initializer, found a computed value"
            )
        }
        return tensor
    }

    /// Refuses inputs of different element types where the operator needs one type.
    func requireSameTypes(_ inputs: Range<Int>) throws(ModelError) {
        let first = inputTypes[inputs.lowerBound]
        for index in inputs where inputTypes[index] != first {
            throw ModelError(
                .unsupportedType,
                "\(node.label): expected input \(index) ('\(node.inputs[index])') of \(first) like input \(inputs.lowerBound), found \(inputTypes[index])"
            )
        }
    }
}

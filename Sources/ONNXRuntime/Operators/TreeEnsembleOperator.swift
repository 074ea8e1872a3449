/// ai.onnx.ml TreeEnsemble (opset 5), the successor of TreeEnsembleRegressor and
/// TreeEnsembleClassifier: X `[N, F]` of float or double → Y `[N, n_targets]` of the same
/// type, each target the SUM, AVERAGE, MIN or MAX of the leaf weights the trees reach for
/// it, then the post transform, evaluated as onnxruntime 1.31 does. The attributes are
/// translated at load into the definition TreeEnsembleClassifier uses (see
/// TreeEnsembleDefinition+Opset5, and `effectiveTransform` for where onnxruntime departs
/// from the spec), so both run on one Forest.
enum TreeEnsembleOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsemble"
    static let opsets = 5...5

    /// The evaluator for each float type, named concretely so the compiler specializes the
    /// walk for each instead of running it through generic witness tables.
    final class TreeEnsembleKernel: Kernel {
        enum Evaluator {
            case float32(TreeEnsembleRegressionEvaluator<Float>)
            case float64(TreeEnsembleRegressionEvaluator<Double>)
        }

        let evaluator: Evaluator
        let targetCount: Int

        init(evaluator: Evaluator, targetCount: Int) {
            self.evaluator = evaluator
            self.targetCount = targetCount
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let storage: Tensor.Storage
            switch evaluator {
            case .float32(let evaluator): storage = .float(try evaluator.evaluate(frame.input(0)))
            case .float64(let evaluator): storage = .double(try evaluator.evaluate(frame.input(0)))
            }
            let rows = storage.count / targetCount
            frame.setOutput(0, Tensor(shape: [rows, targetCount], storage: storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double])
        let kernel: TreeEnsembleKernel
        if context.inputTypes[0] == .double {
            let definition = try TreeEnsembleDefinition<Double>(opset5: context.node)
            kernel = TreeEnsembleKernel(
                evaluator: .float64(TreeEnsembleRegressionEvaluator(context.node, definition)),
                targetCount: definition.targetCount)
        } else {
            let definition = try TreeEnsembleDefinition<Float>(opset5: context.node)
            kernel = TreeEnsembleKernel(
                evaluator: .float32(TreeEnsembleRegressionEvaluator(context.node, definition)),
                targetCount: definition.targetCount)
        }
        return (kernel, [context.inputTypes[0]])
    }
}

/// ai.onnx.ml TreeEnsembleClassifier (opsets 1 and 3): per class, the sum of the leaf
/// weights each tree reaches plus the base values, then the post transform, evaluated as
/// onnxruntime does: in float32, or in float64 when the input is double.
enum TreeEnsembleClassifierOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsembleClassifier"
    static let opsets = 1...5

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        // The classifier's definition always has its labels.
        let kernel: TreeEnsembleClassifierKernel
        if context.inputTypes[0] == .double {
            let definition = try TreeEnsembleDefinition<Double>(context.node)
            kernel = TreeEnsembleClassifierKernel(
                classLabels: definition.classLabels!,
                evaluator: .float64(TreeEnsembleEvaluator(context.node, definition)))
        } else {
            let definition = try TreeEnsembleDefinition<Float>(context.node)
            kernel = TreeEnsembleClassifierKernel(
                classLabels: definition.classLabels!,
                evaluator: .float32(TreeEnsembleEvaluator(context.node, definition)))
        }
        let labelType: ElementType =
            if case .strings = kernel.classLabels { .string } else { .int64 }
        return (kernel, [labelType, .float])
    }
}

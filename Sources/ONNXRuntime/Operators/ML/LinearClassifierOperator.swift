/// ai.onnx.ml LinearClassifier as onnxruntime computes it: per row and class, the float32
/// dot product of the features with the class's coefficient row plus its intercept. Several
/// rows label by the first largest score and apply the post transform; one row with two
/// labels (a binary model) labels positive when the score is above 0 and returns
/// `[1 - z, z]` whatever the post transform, as onnxruntime does.
enum LinearClassifierOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "LinearClassifier"
    static let opsets = 1...5

    final class LinearClassifierKernel: ClassifierKernel {
        let node: Node
        let classLabels: ClassLabels
        /// Without a post transform the scores are the raw dot products.
        var scoreKind: ScoreKind { postTransform == .none ? .margins : .probabilities }
        let coefficients: [Float]
        let intercepts: [Float]
        let postTransform: PostTransform

        init(
            node: Node, classLabels: ClassLabels, coefficients: [Float], intercepts: [Float],
            postTransform: PostTransform
        ) {
            self.node = node
            self.classLabels = classLabels
            self.coefficients = coefficients
            self.intercepts = intercepts
            self.postTransform = postTransform
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let (rows, features, x) = try ClassifierInput.rows(frame.input(0), node)
            let targets = intercepts.count
            guard features * targets == coefficients.count else {
                throw .input(
                    "\(node.label): expected \(coefficients.count / targets) features per row as the coefficients have, found \(features)"
                )
            }
            let columns = targets == 1 ? 2 : targets
            var scores = [Float](repeating: 0, count: rows * columns)
            var positions = [Int](repeating: 0, count: rows)
            x.withUnsafeBufferPointer { x in
                coefficients.withUnsafeBufferPointer { coefficients in
                    scores.withUnsafeMutableBufferPointer { scores in
                        for row in 0..<rows {
                            positions[row] = score(
                                x.baseAddress! + row * features, features, coefficients,
                                scores.baseAddress! + row * columns)
                        }
                    }
                }
            }
            frame.setOutput(0, ClassifierInput.labelTensor(classLabels, positions))
            frame.setOutput(1, Tensor(shape: [rows, columns], storage: .float(scores)))
        }

        /// One row's scores into `output` (two columns for one coefficient row); returns
        /// the label position.
        @inline(__always)
        private func score(
            _ x: UnsafePointer<Float>, _ features: Int, _ weights: UnsafeBufferPointer<Float>,
            _ output: UnsafeMutablePointer<Float>
        ) -> Int {
            let targets = intercepts.count
            for target in 0..<targets {
                var sum: Float = 0
                let row = target * features
                for feature in 0..<features { sum += x[feature] * weights[row + feature] }
                output[target] = sum + intercepts[target]
            }
            if targets == 1 {
                let z = output[0]
                output[0] = 1 - z
                output[1] = z
                return z > 0 ? 1 : 0
            }
            var best = 0
            for target in 1..<targets where output[target] > output[best] { best = target }
            postTransform.apply(UnsafeMutableBufferPointer(start: output, count: targets))
            return best
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let node = context.node
        let labels = try ClassifierInput.labels(node)
        let coefficients = try node.floats("coefficients", required: true)!
        let intercepts = try node.floats("intercepts") ?? []
        let transform = try ClassifierInput.postTransform(node)
        guard !intercepts.isEmpty, !coefficients.isEmpty,
            coefficients.count % intercepts.count == 0
        else {
            throw .attribute(
                node, "coefficients",
                "expected a multiple of intercepts' \(intercepts.count) values (one row per class), found \(coefficients.count)"
            )
        }
        guard labels.count == intercepts.count || (intercepts.count == 1 && labels.count == 2)
        else {
            throw .attribute(
                node, "intercepts",
                "has \(intercepts.count) values for \(labels.count) class labels; expected one per class, or one for two classes"
            )
        }
        guard intercepts.count > 1 || transform != .probit else {
            throw .attribute(
                node, "post_transform",
                "expected NONE or LOGISTIC for one coefficient row, found PROBIT (onnxruntime leaves half the scores unset)"
            )
        }
        let kernel = LinearClassifierKernel(
            node: node, classLabels: labels, coefficients: coefficients, intercepts: intercepts,
            postTransform: transform)
        return (kernel, [ClassifierInput.labelType(labels), .float])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx.ml SVMClassifier as onnxruntime computes it (svmclassifier.cc), in float32.
///
/// With support vectors (libsvm's SVC): one kernel value per support vector, then for each
/// pair of classes i < j a decision value (summed in double, as there) that votes for i when
/// positive. The label is the class with the most votes, ties to the lowest index, never
/// the argmax of the probabilities. With `prob_a`/`prob_b`, each pair's decision value goes
/// through Platt's sigmoid and the pairwise probabilities are coupled into class
/// probabilities (libsvm's multiclass_probability); without, the scores are the decision
/// values. Without support vectors (liblinear): one score per class, `x·w + rho[0]`.
enum SVMClassifierOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "SVMClassifier"
    static let opsets = 1...5

    enum KernelType: String {
        case linear = "LINEAR"
        case poly = "POLY"
        case rbf = "RBF"
        case sigmoid = "SIGMOID"
    }

    struct Definition {
        var labels: ClassLabels
        var kernelType: KernelType
        var gamma: Float = 0
        var coef0: Float = 0
        var degree: Float = 0
        var vectorsPerClass: [Int]
        var startOfClass: [Int]
        var vectorCount: Int
        var features: Int
        var supportVectors: [Float]
        var coefficients: [Float]
        var rho: [Float]
        var probA: [Float]
        var probB: [Float]
        var postTransform: PostTransform
        var weightsAllPositive: Bool
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let node = context.node
        let labels = try ClassifierInput.labels(node)
        let kernelName = try node.string("kernel_type", default: "LINEAR")
        guard var kernelType = KernelType(rawValue: kernelName) else {
            throw .attribute(
                node, "kernel_type", "expected LINEAR, POLY, RBF or SIGMOID, found '\(kernelName)'")
        }
        let parameters = try node.floats("kernel_params") ?? []
        guard parameters.isEmpty || parameters.count == 3 else {
            throw .attribute(
                node, "kernel_params",
                "expected 3 values (gamma, coef0, degree), found \(parameters.count)")
        }
        let vectorsPerClass = (try node.ints("vectors_per_class") ?? []).map { Int($0) }
        let supportVectors = try node.floats("support_vectors") ?? []
        let coefficients = try node.floats("coefficients", required: true)!
        let rho = try node.floats("rho", required: true)!
        let probA = try node.floats("prob_a") ?? []
        let probB = try node.floats("prob_b") ?? []
        let classes = labels.count
        let pairs = classes * (classes - 1) / 2
        guard !coefficients.isEmpty else {
            throw .attribute(node, "coefficients", "expected at least one value, found none")
        }
        guard classes >= 2 else {
            throw .attribute(
                node, "classlabels_ints", "expected at least 2 classes, found \(classes)")
        }
        guard probA.count == probB.count else {
            throw .attribute(
                node, "prob_b",
                "has \(probB.count) values but prob_a has \(probA.count); expected equal lengths")
        }
        guard vectorsPerClass.allSatisfy({ $0 >= 0 }) else {
            throw .attribute(
                node, "vectors_per_class", "expected counts from 0, found \(vectorsPerClass)")
        }
        let vectorCount = vectorsPerClass.reduce(0, +)
        var startOfClass: [Int] = []
        var start = 0
        for count in vectorsPerClass {
            startOfClass.append(start)
            start += count
        }
        let features: Int
        if vectorCount > 0 {
            guard vectorsPerClass.count == classes else {
                throw .attribute(
                    node, "vectors_per_class",
                    "has \(vectorsPerClass.count) values for \(classes) class labels; expected one per class"
                )
            }
            guard supportVectors.count % vectorCount == 0, !supportVectors.isEmpty else {
                throw .attribute(
                    node, "support_vectors",
                    "has \(supportVectors.count) values, not a whole number of vectors for the \(vectorCount) that vectors_per_class counts"
                )
            }
            features = supportVectors.count / vectorCount
            guard coefficients.count == (classes - 1) * vectorCount else {
                throw .attribute(
                    node, "coefficients",
                    "has \(coefficients.count) values; expected (classes - 1) × support vectors = \((classes - 1) * vectorCount)"
                )
            }
            guard rho.count >= pairs else {
                throw .attribute(
                    node, "rho",
                    "has \(rho.count) values; expected one per pair of classes, \(pairs)")
            }
            guard probA.isEmpty || probA.count >= pairs else {
                throw .attribute(
                    node, "prob_a",
                    "has \(probA.count) values; expected one per pair of classes, \(pairs)")
            }
        } else {
            kernelType = .linear
            guard coefficients.count % classes == 0, !rho.isEmpty else {
                throw .attribute(
                    node, "coefficients",
                    "has \(coefficients.count) values; expected one row per class for \(classes) classes (and rho set)"
                )
            }
            features = coefficients.count / classes
        }
        var definition = Definition(
            labels: labels, kernelType: kernelType, vectorsPerClass: vectorsPerClass,
            startOfClass: startOfClass, vectorCount: vectorCount, features: features,
            supportVectors: supportVectors, coefficients: coefficients, rho: rho, probA: probA,
            probB: probB, postTransform: try ClassifierInput.postTransform(node),
            weightsAllPositive: coefficients.allSatisfy { $0 >= 0 })
        if parameters.count == 3 {
            (definition.gamma, definition.coef0, definition.degree) =
                (parameters[0], parameters[1], parameters[2])
        }
        return (
            SVMClassifierKernel(node: node, definition),
            [ClassifierInput.labelType(labels), .float]
        )
    }
}

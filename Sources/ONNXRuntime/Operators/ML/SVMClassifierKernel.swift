#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates an SVMClassifier node; see SVMClassifierOperator for the semantics.
final class SVMClassifierKernel: ClassifierKernel {
    typealias Definition = SVMClassifierOperator.Definition

    let node: Node
    let model: Definition
    var classLabels: ClassLabels { model.labels }
    /// Support vectors without prob_a/prob_b give each pair's decision value; a linear SVM
    /// (no support vectors) one score per class, a margin unless post-transformed.
    var scoreKind: ScoreKind {
        if model.vectorCount > 0 {
            return model.probA.isEmpty ? .pairwiseMargins : .probabilities
        }
        return model.postTransform == .none ? .margins : .probabilities
    }

    init(node: Node, _ model: Definition) {
        self.node = node
        self.model = model
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let (rows, features, x) = try ClassifierInput.rows(frame.input(0), node)
        guard features == model.features else {
            throw .input(
                "\(node.label): expected \(model.features) features per row as the model has, found \(features)"
            )
        }
        let classes = model.labels.count
        let pairs = classes * (classes - 1) / 2
        let support = model.vectorCount > 0
        let probabilities = support && !model.probA.isEmpty
        let columns = support && !probabilities ? (classes > 2 ? pairs : 2) : classes
        var scores = [Float](repeating: 0, count: rows * columns)
        var positions = [Int](repeating: 0, count: rows)
        var kernels = [Float](repeating: 0, count: model.vectorCount)
        var pairScores = [Float](repeating: 0, count: pairs)
        x.withUnsafeBufferPointer { x in
            model.supportVectors.withUnsafeBufferPointer { vectors in
                for row in 0..<rows {
                    let input = x.baseAddress! + row * features
                    var output = [Float](repeating: 0, count: columns)
                    var maxWeight: Float = 0
                    var best = 0
                    if support {
                        for vector in 0..<model.vectorCount {
                            kernels[vector] = kernel(
                                input, vectors.baseAddress! + vector * model.features)
                        }
                        var votes = [Int](repeating: 0, count: classes)
                        var index = 0
                        for i in 0..<(classes - 1) {
                            for j in (i + 1)..<classes {
                                var sum: Double = 0
                                for m in 0..<model.vectorsPerClass[i] {
                                    let vector = model.startOfClass[i] + m
                                    sum += Double(
                                        model.coefficients[(j - 1) * model.vectorCount + vector]
                                            * kernels[vector])
                                }
                                for m in 0..<model.vectorsPerClass[j] {
                                    let vector = model.startOfClass[j] + m
                                    sum += Double(
                                        model.coefficients[i * model.vectorCount + vector]
                                            * kernels[vector]
                                    )
                                }
                                sum += Double(model.rho[index])
                                pairScores[index] = Float(sum)
                                votes[sum > 0 ? i : j] += 1
                                index += 1
                            }
                        }
                        for candidate in 1..<classes where votes[candidate] > votes[best] {
                            best = candidate
                        }
                        if probabilities {
                            output = coupled(pairScores, classes)
                            finish(&output, count: classes, addSecondClass: -1)
                        } else if classes > 2 {
                            output = pairScores
                            finish(&output, count: pairs, addSecondClass: -1)
                        } else {
                            output[0] = pairScores[0]
                            finish(
                                &output, count: 1,
                                addSecondClass: model.postTransform == .none ? 2 : 0)
                        }
                    } else {
                        for target in 0..<classes {
                            var sum: Float = 0
                            for feature in 0..<features {
                                sum.addProduct(
                                    input[feature], model.coefficients[target * features + feature])
                            }
                            output[target] = sum + model.rho[0]
                        }
                        for target in 1..<classes where output[target] > output[best] {
                            best = target
                        }
                        maxWeight = output[best]
                        finish(&output, count: classes, addSecondClass: -1)
                    }
                    if pairs == 1 && !probabilities {
                        // onnxruntime's ChooseClass for two labels without probabilities.
                        if model.weightsAllPositive && maxWeight >= 0.5 {
                            best = 1
                        } else if maxWeight > 0 && !model.weightsAllPositive {
                            best = 1
                        }
                    }
                    positions[row] = best
                    for column in 0..<columns { scores[row * columns + column] = output[column] }
                }
            }
        }
        frame.setOutput(0, ClassifierInput.labelTensor(model.labels, positions))
        frame.setOutput(1, Tensor(shape: [rows, columns], storage: .float(scores)))
    }

    /// The kernel between `x` and support vector `vector`, in float32. Dot products use
    /// fused multiply-adds in feature order, as onnxruntime's GEMM does on x86-64 (MLAS's
    /// FMA kernels): plain multiply-then-add drifts by 2e-5 on polynomial kernels.
    @inline(__always)
    private func kernel(_ x: UnsafePointer<Float>, _ vector: UnsafePointer<Float>) -> Float {
        switch model.kernelType {
        case .rbf:
            var sum: Float = 0
            for feature in 0..<model.features {
                let difference = x[feature] - vector[feature]
                sum += difference * difference
            }
            return expf(-model.gamma * sum)
        case .linear, .poly, .sigmoid:
            var dot: Float = 0
            for feature in 0..<model.features {
                dot.addProduct(x[feature], vector[feature])
            }
            switch model.kernelType {
            case .linear: return dot
            case .poly:
                let base = model.gamma * dot + model.coef0
                return model.degree == 2
                    ? base * base
                    : model.degree == 3 ? base * base * base : powf(base, model.degree)
            default: return tanhf(model.gamma * dot + model.coef0)
            }
        }
    }

    /// Platt's sigmoid per pair, clamped to [1e-7, 1 - 1e-7], then coupled into class
    /// probabilities with libsvm's iterative method, all in float32 as onnxruntime does.
    private func coupled(_ pairScores: [Float], _ classes: Int) -> [Float] {
        var r = [Float](repeating: 0, count: classes * classes)
        var index = 0
        for i in 0..<(classes - 1) {
            for j in (i + 1)..<classes {
                let value =
                    1
                    - PostTransform.logistic(
                        pairScores[index] * model.probA[index] + model.probB[index])
                let clamped = min(max(value, 1e-7), 1 - 1e-7)
                r[i * classes + j] = clamped
                r[j * classes + i] = 1 - clamped
                index += 1
            }
        }
        return Self.multiclassProbability(classes, r)
    }

    static func multiclassProbability(_ k: Int, _ r: [Float]) -> [Float] {
        var q = [Float](repeating: 0, count: k * k)
        var qp = [Float](repeating: 0, count: k)
        var p = [Float](repeating: 1 / Float(k), count: k)
        let epsilon = 0.005 / Float(k)
        for i in 0..<k {
            for j in 0..<i {
                q[i * k + i] += r[j * k + i] * r[j * k + i]
                q[i * k + j] = q[j * k + i]
            }
            for j in (i + 1)..<max(k, i + 1) {
                q[i * k + i] += r[j * k + i] * r[j * k + i]
                q[i * k + j] = -r[j * k + i] * r[i * k + j]
            }
        }
        for _ in 0..<100 {
            var pqp: Float = 0
            for i in 0..<k {
                qp[i] = 0
                for j in 0..<k { qp[i] += q[i * k + j] * p[j] }
                pqp += p[i] * qp[i]
            }
            var maxError: Float = 0
            for i in 0..<k { maxError = max(maxError, abs(qp[i] - pqp)) }
            if maxError < epsilon { break }
            for i in 0..<k {
                let difference = (-qp[i] + pqp) / q[i * k + i]
                p[i] += difference
                pqp =
                    (pqp + difference * (difference * q[i * k + i] + 2 * qp[i])) / (1 + difference)
                    / (1 + difference)
                for j in 0..<k {
                    qp[j] = (qp[j] + difference * q[i * k + j]) / (1 + difference)
                    p[j] /= (1 + difference)
                }
            }
        }
        return p
    }

    /// onnxruntime's batched_update_scores_inplace for one row of `count` scores.
    private func finish(_ output: inout [Float], count: Int, addSecondClass: Int) {
        if count > 1 {
            output.withUnsafeMutableBufferPointer { buffer in
                model.postTransform.apply(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            }
            return
        }
        let score = output[0]
        if model.postTransform == .probit {
            output[0] = PostTransform.probit(score)
            return
        }
        switch addSecondClass {
        case 0, 1:
            output[0] = 1 - score
            output[1] = score
        case 2, 3:
            if model.postTransform == .logistic {
                output[0] = PostTransform.logistic(-score)
                output[1] = PostTransform.logistic(score)
            } else {
                output[0] = -score
                output[1] = score
            }
        default: break
        }
    }
}

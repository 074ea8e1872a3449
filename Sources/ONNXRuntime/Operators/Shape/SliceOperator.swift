/// ai.onnx Slice: a strided window of the input. From opset 10 `starts`, `ends` and the
/// optional `axes` and `steps` are int64 inputs; before, `starts`, `ends` and `axes` are
/// attributes and every step is 1. Negative starts and ends count from the end of their
/// axis and both are clamped into it as onnxruntime does (ends of INT32_MAX or INT64_MAX
/// mean "to the end" in either direction); a window that runs backwards is empty.
enum SliceOperator: Operator {
    static let domain = ""
    static let opType = "Slice"
    static let opsets = 1...22

    /// The window's description before it meets an input shape.
    struct Window {
        var starts: [Int64]
        var ends: [Int64]
        var axes: [Int64]?
        var steps: [Int64]?

        /// Refuses lists of different lengths and zero steps; nil when all is well.
        func problem() -> String? {
            if ends.count != starts.count {
                return
                    "expected as many ends as starts, found \(ends.count) ends and \(starts.count) starts"
            }
            if let axes, axes.count != starts.count {
                return
                    "expected as many axes as starts, found \(axes.count) axes and \(starts.count) starts"
            }
            if let steps, steps.count != starts.count {
                return
                    "expected as many steps as starts, found \(steps.count) steps and \(starts.count) starts"
            }
            if let steps, steps.contains(0) { return "expected non-zero steps, found \(steps)" }
            return nil
        }
    }

    final class SliceKernel: Kernel {
        let node: Node
        /// The attributes' window (before opset 10); nil when it comes from the inputs.
        let fixed: Window?

        init(node: Node, fixed: Window?) {
            self.node = node
            self.fixed = fixed
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let window: Window
            if let fixed { window = fixed } else { window = try Self.window(frame, node) }
            if let problem = window.problem() { throw .input("\(node.label): \(problem)") }
            let rank = input.shape.count
            var starts = [Int](repeating: 0, count: rank)
            var steps = [Int](repeating: 1, count: rank)
            var dims = input.shape
            var seen = Set<Int>()
            for (index, raw) in (window.axes ?? window.starts.indices.map { Int64($0) })
                .enumerated()
            {
                guard let axis = Axis.normalized(Int(clamping: raw), rank: rank),
                    seen.insert(axis).inserted
                else {
                    throw .input(
                        "\(node.label): expected distinct axes within rank \(rank), found \(window.axes ?? [])"
                    )
                }
                let dim = Int64(input.shape[axis])
                let step = window.steps?[index] ?? 1
                var start = window.starts[index]
                if start < 0 { start &+= dim }
                start = min(max(start, 0), step < 0 ? dim - 1 : dim)
                var end = window.ends[index]
                if end == Int64(Int32.max) || end == Int64.max {
                    end = step < 0 ? -1 : dim
                } else {
                    if end < 0 { end &+= dim }
                    end = min(max(end, step < 0 ? -1 : 0), dim)
                }
                // onnxruntime divides in double and rounds up.
                let count = (Double(end - start) / Double(step)).rounded(.up)
                starts[axis] = Int(start)
                steps[axis] = Int(step)
                dims[axis] = count > 0 ? Int(count) : 0
            }
            frame.setOutput(
                0,
                Tensor(
                    shape: dims,
                    storage: input.storage.gathering(
                        Self.sources(input.shape, starts, steps, dims))))
        }

        /// The input position of every output element, in row-major order.
        private static func sources(
            _ shape: [Int], _ starts: [Int], _ steps: [Int], _ dims: [Int]
        ) -> [Int] {
            let total = dims.reduce(1, *)
            guard total > 0 else { return [] }
            var strides = [Int](repeating: 1, count: shape.count)
            for axis in shape.indices.dropLast().reversed() {
                strides[axis] = strides[axis + 1] * shape[axis + 1]
            }
            var counter = [Int](repeating: 0, count: shape.count)
            var sources: [Int] = []
            sources.reserveCapacity(total)
            for _ in 0..<total {
                var position = 0
                for axis in shape.indices {
                    position += (starts[axis] + counter[axis] * steps[axis]) * strides[axis]
                }
                sources.append(position)
                var axis = shape.count - 1
                while axis >= 0 {
                    counter[axis] += 1
                    if counter[axis] < dims[axis] { break }
                    counter[axis] = 0
                    axis -= 1
                }
            }
            return sources
        }

        private static func window(_ frame: KernelFrame, _ node: Node) throws(ModelError) -> Window
        {
            var lists: [[Int64]] = []
            for index in 1..<frame.inputCount {
                let tensor = frame.input(index)
                guard tensor.shape.count == 1 else {
                    throw .input(
                        "\(node.label): expected input \(index) ('\(node.inputs[index])') of rank 1, found shape \(tensor.shape)"
                    )
                }
                lists.append(tensor.int64Values)
            }
            return Window(
                starts: lists[0], ends: lists[1], axes: lists.count > 2 ? lists[2] : nil,
                steps: lists.count > 3 ? lists[3] : nil)
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let node = context.node
        guard context.opset >= 10 else {
            try context.requireInputs(1...1)
            let window = Window(
                starts: try node.ints("starts", required: true)!,
                ends: try node.ints("ends", required: true)!,
                axes: try node.ints("axes"), steps: nil)
            if let problem = window.problem() {
                throw .attribute(
                    node, window.ends.count != window.starts.count ? "ends" : "axes", problem)
            }
            return (SliceKernel(node: node, fixed: window), [context.inputTypes[0]])
        }
        try context.requireInputs(3...5)
        for index in 1..<context.inputTypes.count { try context.requireType(index, [.int64]) }
        // Constant starts, ends, axes and steps are checked now rather than on every run.
        let constants = context.constants.dropFirst().compactMap { $0 }
        if constants.count == context.inputTypes.count - 1 {
            let lists = constants.map(\.int64Values)
            let window = Window(
                starts: lists[0], ends: lists[1], axes: lists.count > 2 ? lists[2] : nil,
                steps: lists.count > 3 ? lists[3] : nil)
            if let problem = window.problem() { throw .graph("\(node.label): \(problem)") }
        }
        return (SliceKernel(node: node, fixed: nil), [context.inputTypes[0]])
    }
}

/// A kernel whose first output is a sequence of maps rather than a tensor; the plan tracks
/// such values so that no other kernel is fed one and graph outputs declare them.
protocol MapSequenceKernel: Kernel {
    var keyType: ElementType { get }
}

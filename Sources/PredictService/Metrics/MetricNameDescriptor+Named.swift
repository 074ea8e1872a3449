import Prometheus

extension MetricNameDescriptor {
    /// A metric's whole name and its help text, as the exposition shows them: the registry's
    /// name-and-help calls are deprecated for descriptors, whose parts this project does not
    /// split (an empty unit is left out of the name).
    package static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

/// Everything one request is answered from: the models by name, the default model and the
/// keys in force. Immutable; a reload publishes a new one, and a request keeps the snapshot
/// it started with.
final class ServingSnapshot: Sendable {
    let models: [String: ServedModel]
    /// Model names in order, for listings and error messages.
    let names: [String]
    let defaultModel: ServedModel?
    /// nil when keys are not required.
    let keyring: APIKeyring?
    /// The metrics number of each key's name.
    let clients: [String: Int]
    let list: [UInt8]
    let health: [UInt8]

    init(
        models: [ServedModel], defaultName: String?, keyring: APIKeyring?,
        metrics: ServiceMetrics?
    ) {
        var byName: [String: ServedModel] = [:]
        for model in models { byName[model.bundle.name] = model }
        self.models = byName
        names = byName.keys.sorted()
        defaultModel = defaultName.flatMap { byName[$0] }
        self.keyring = keyring
        var clients: [String: Int] = [:]
        for entry in keyring?.entries ?? [] {
            clients[entry.name] = metrics?.requests.client(named: entry.name) ?? 0
        }
        self.clients = clients
        list = ResponseEncoder.list(
            names.map { byName[$0]!.bundle }, defaultName: defaultModel?.bundle.name)
        health = defaultModel?.health ?? ResponseEncoder.health(nil)
    }

    /// The model a route names, or the default one when it names none.
    func model(_ name: String?, version: String? = nil) throws(ServiceError) -> ServedModel {
        guard let name else {
            guard let defaultModel else { throw .noDefaultModel(names) }
            return defaultModel
        }
        guard let model = models[name] else { throw .unknownModel(name, known: names) }
        if let version, version != model.bundle.version {
            throw .unknownVersion(version, of: name, served: model.bundle.version)
        }
        return model
    }
}

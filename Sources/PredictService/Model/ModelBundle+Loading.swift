import ONNXRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ModelBundle {
    /// Loads a model directory (`model.json` + the ONNX file it names + optional
    /// `golden.jsonl`) or a bare `.onnx` file, validating everything before returning.
    public static func load(path: String) throws(LoadError) -> ModelBundle {
        let url = URL(filePath: path)
        if path.hasSuffix(".onnx") {
            let bytes = try read(url)
            let model = try parseModel(bytes, origin: path)
            return try ModelBundle(
                model: model, manifest: nil, sha256: SHA256.hexDigest(bytes), goldenPath: nil,
                fallbackName: url.deletingPathExtension().lastPathComponent)
        }
        let manifestURL = url.appending(path: "model.json")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw .inaccessible(
                "\(path) has no model.json; pass a model directory, or an .onnx file to serve "
                    + "it without a manifest")
        }
        let manifest: Manifest
        do throws(LoadError) {
            let bytes = try read(manifestURL)
            let document: JSONValue
            do {
                document = try JSONParser.parse(bytes)
            } catch {
                throw .invalidManifest(error.message)
            }
            manifest = try Manifest(document)
        } catch {
            throw error.located(at: manifestURL.path)
        }
        let modelURL = url.appending(path: manifest.modelFile)
        let bytes = try read(modelURL)
        let digest = SHA256.hexDigest(bytes)
        guard digest == manifest.sha256 else {
            throw .invalidManifest(
                "\(modelURL.path) has sha256 \(digest), but model.json expects "
                    + "\(manifest.sha256); the manifest and the model do not belong together")
        }
        let model = try parseModel(bytes, origin: modelURL.path)
        let golden = url.appending(path: "golden.jsonl")
        return try ModelBundle(
            model: model, manifest: manifest, sha256: digest,
            goldenPath: FileManager.default.fileExists(atPath: golden.path) ? golden.path : nil,
            fallbackName: url.lastPathComponent)
    }

    /// The file's bytes; a missing or unreadable file is refused with its path and the
    /// reason in a few words (Foundation's own error text is a nested dump).
    static func read(_ url: URL) throws(LoadError) -> [UInt8] {
        do {
            // An empty regular file is not read: Data(contentsOf:) leaks its 4 KiB read buffer
            // on one, and an empty keys file (every key revoked) is read at every reload.
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            if attributes?[.type] as? FileAttributeType == .typeRegular,
                attributes?[.size] as? Int == 0
            {
                return []
            }
            return [UInt8](try Data(contentsOf: url))
        } catch {
            let reason =
                switch (error as? CocoaError)?.code {
                case .fileReadNoSuchFile?, .fileNoSuchFile?: "no such file"
                case .fileReadNoPermission?: "permission denied"
                default: "not a readable file"
                }
            throw .inaccessible("cannot read \(url.path): \(reason)")
        }
    }

    private static func parseModel(
        _ bytes: [UInt8], origin: String
    ) throws(LoadError)
        -> InferenceModel
    {
        do {
            return try InferenceModel(onnx: bytes)
        } catch {
            throw .invalidModel("\(origin): \(error)")
        }
    }
}

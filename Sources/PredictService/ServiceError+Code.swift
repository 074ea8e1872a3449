extension ServiceError {
    /// What is wrong with a refused request, as clients read it: `rawValue` is the stable
    /// snake_case `code` of the error body, and each code has the one status it is answered
    /// with. Static members over a private enum, so a new code breaks no caller.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case malformedJSON = "malformed_json"
            case invalidBody = "invalid_body"
            case missingField = "missing_field"
            case nullValue = "null_value"
            case wrongType = "wrong_type"
            case nonFiniteNumber = "non_finite_number"
            case unknownField = "unknown_field"
            case duplicateField = "duplicate_field"
            case invalidInput = "invalid_input"
            case unauthorized
            case notFound = "not_found"
            case modelNotFound = "model_not_found"
            case versionNotFound = "version_not_found"
            case noDefaultModel = "no_default_model"
            case methodNotAllowed = "method_not_allowed"
            case lengthRequired = "length_required"
            case payloadTooLarge = "payload_too_large"
            case batchTooLarge = "batch_too_large"
            case unsupportedMediaType = "unsupported_media_type"
            case internalError = "internal_error"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Not JSON: a syntax error, invalid UTF-8, nesting too deep.
        public static let malformedJSON = Code(.malformedJSON)
        /// JSON, but not the body the route takes (or shorter than its Content-Length).
        public static let invalidBody = Code(.invalidBody)
        public static let missingField = Code(.missingField)
        public static let nullValue = Code(.nullValue)
        public static let wrongType = Code(.wrongType)
        public static let nonFiniteNumber = Code(.nonFiniteNumber)
        public static let unknownField = Code(.unknownField)
        public static let duplicateField = Code(.duplicateField)
        /// The input passed every check, but the graph refused it when it ran (the runtime's
        /// `invalidInput`), e.g. a batch larger than a graph exported with a fixed batch size.
        public static let invalidInput = Code(.invalidInput)
        public static let unauthorized = Code(.unauthorized)
        public static let notFound = Code(.notFound)
        public static let modelNotFound = Code(.modelNotFound)
        public static let versionNotFound = Code(.versionNotFound)
        public static let noDefaultModel = Code(.noDefaultModel)
        public static let methodNotAllowed = Code(.methodNotAllowed)
        public static let lengthRequired = Code(.lengthRequired)
        public static let payloadTooLarge = Code(.payloadTooLarge)
        public static let batchTooLarge = Code(.batchTooLarge)
        public static let unsupportedMediaType = Code(.unsupportedMediaType)
        /// The server failed: the model answered with outputs it should not have.
        public static let internalError = Code(.internalError)

        /// The `code` member of the error body.
        public var rawValue: String { base.rawValue }

        public var description: String { base.rawValue }

        /// The status every error of this code is answered with.
        public var status: HTTPStatus {
            switch base {
            case .malformedJSON, .invalidBody, .missingField, .nullValue, .wrongType,
                .nonFiniteNumber, .unknownField, .duplicateField, .invalidInput:
                .badRequest
            case .unauthorized: .unauthorized
            case .notFound, .modelNotFound, .versionNotFound, .noDefaultModel: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .lengthRequired: .lengthRequired
            case .payloadTooLarge, .batchTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .internalError: .internalServerError
            }
        }
    }
}

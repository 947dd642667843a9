import Foundation
import Logging

/// The server side of the protocol, for whatever answers it — the reference MIS's gateway, the
/// registry's door for the federal portal: the caller's address, the signature, timestamp and
/// nonce, the operation and its method checked in that order; the operation's answer or the error
/// envelope with its HTTP status. Nothing the caller sent is echoed back but a known operation's name.
public struct ProtocolEndpoint: Sendable {
    /// Answers one checked operation with the answer's XML (or throws `MISFailure`).
    public typealias Perform = @Sendable (MISOperation, MISRequestParameters) async throws -> String

    let verifier: SignatureVerifier
    let isAllowed: @Sendable (String?) -> Bool
    /// Whether a key's nonce is used for the first time — across every process answering (the
    /// verifier remembers this process's own); nil: the verifier's memory is enough.
    let firstUse: (@Sendable (_ keyID: String, _ nonce: String, _ now: Date) async -> Bool)?
    let clock: @Sendable () -> Date

    public init(keys: [String: String], isAllowed: @escaping @Sendable (String?) -> Bool = { _ in true },
                firstUse: (@Sendable (_ keyID: String, _ nonce: String, _ now: Date) async -> Bool)? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        verifier = SignatureVerifier(keys: keys)
        self.isAllowed = isAllowed
        self.firstUse = firstUse
        self.clock = clock
    }

    /// The answer to one request: its HTTP status and XML.
    public func answer(method: String, path: String, parameters: Result<MISRequestParameters, MISFailure>, remoteAddress: String?,
                       header: (String) -> String?, logger: Logger, perform: Perform) async -> (status: Int, body: String) {
        var operationName: String?
        do {
            guard isAllowed(remoteAddress) else { throw MISFailure(.unauthorised, message: "Адрес вызывающего не разрешён") }
            let parameters = try parameters.get()
            operationName = parameters.optional("op")
            let now = clock()
            try verifier.verify(method: method, path: path, parameters: parameters.pairs, header: header, now: now)
            if let firstUse, let keyID = header(RequestSigner.keyHeader), let nonce = header(RequestSigner.nonceHeader), !(await firstUse(keyID, nonce, now)) {
                throw MISFailure(.unauthorised, message: "повтор уже выполненного запроса")
            }
            guard let name = operationName, let operation = MISOperation(rawValue: name) else {
                throw MISFailure(.badRequest, message: "Неизвестная операция")
            }
            guard operation.isWrite == (method == "POST") else {
                throw MISFailure(.badRequest, message: operation.isWrite ? "Изменения передаются методом POST" : "Чтение выполняется методом GET")
            }
            return (200, try await perform(operation, parameters))
        } catch let failure as MISFailure {
            let code = failure.code ?? .internal
            // Only a known operation name is echoed back; anything else the caller sent stays out.
            let known = operationName.flatMap(MISOperation.init(rawValue:))?.rawValue
            return (code.httpStatus, MISResponse.failure(known, code, failure.detail ?? ""))
        } catch {
            logger.error("protocol endpoint failure", metadata: ["error.type": .string(String(describing: type(of: error))), "mis.operation": .string(operationName ?? "-")])
            return (500, MISResponse.failure(operationName.flatMap(MISOperation.init(rawValue:))?.rawValue, .internal, "Внутренняя ошибка"))
        }
    }
}

import CLibXML2
import Foundation

/// Parses untrusted XML (a MIS's answer) into `XMLNode`s with libxml2's SAX2 interface, hardened:
/// no network, no DTD of any kind (which rules out external entities and entity expansion bombs),
/// UTF-8 only, and bounded size, depth and element count. Anything else is an `XMLProblem`.
public struct XMLReader: Sendable {
    /// How much a document may hold before it is refused.
    public struct Limits: Sendable {
        public var maximumBytes: Int
        public var maximumDepth: Int
        public var maximumElements: Int

        public init(maximumBytes: Int = 8 << 20, maximumDepth: Int = 16, maximumElements: Int = 200_000) {
            self.maximumBytes = maximumBytes
            self.maximumDepth = maximumDepth
            self.maximumElements = maximumElements
        }
    }

    public let limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The document's root element.
    public func parse(_ bytes: [UInt8]) throws(XMLProblem) -> XMLNode {
        guard !bytes.isEmpty else { throw XMLProblem(.empty) }
        guard bytes.count <= limits.maximumBytes else { throw XMLProblem(.tooLarge, detail: "\(bytes.count) bytes") }
        try Self.checkEncoding(bytes)

        let builder = TreeBuilder(limits: limits)
        let unmanaged = Unmanaged.passRetained(builder)
        defer { unmanaged.release() }
        var handler = Self.handler
        guard let context = xmlCreatePushParserCtxt(&handler, unmanaged.toOpaque(), nil, 0, nil) else {
            throw XMLProblem(.malformed, detail: "parser could not start")
        }
        defer { xmlFreeParserCtxt(context) }
        builder.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
        _ = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlParseChunk(context, $0, Int32(buffer.count), 1)
            }
        }
        if let problem = builder.problem { throw problem }
        guard context.pointee.wellFormed != 0, let root = builder.root else {
            throw XMLProblem(.malformed, detail: builder.errorMessage ?? "document is not well-formed")
        }
        return root
    }

    /// UTF-8 only: refuses UTF-16/32 byte order marks and declarations of any other encoding.
    private static func checkEncoding(_ bytes: [UInt8]) throws(XMLProblem) {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw XMLProblem(.wrongEncoding, detail: "UTF-16")
        }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 {
            throw XMLProblem(.wrongEncoding, detail: "UTF-32")
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes.count > start + 5, bytes[start..<(start + 5)].elementsEqual("<?xml".utf8) else { return }
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else { return }
        let declaration = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return }
        let value = declaration[range.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" })
            .prefix(while: { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "?" })
        guard value == "utf-8" || value == "utf8" else { throw XMLProblem(.wrongEncoding, detail: String(value)) }
    }

    // MARK: SAX2 callbacks

    // Built once and only ever copied (libxml2 reads it), so sharing it is safe.
    nonisolated(unsafe) private static let handler: xmlSAXHandler = {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            TreeBuilder.from(context).start(localName, attributeCount: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { context, _, _, _ in
            TreeBuilder.from(context).end()
        }
        handler.characters = { context, characters, length in
            TreeBuilder.from(context).characters(characters, Int(length))
        }
        // Any DTD at all — internal subset, external subset, entity declarations — ends the parse.
        handler.internalSubset = { context, _, _, _ in
            TreeBuilder.from(context).refuse(.documentTypeDeclaration)
        }
        handler.externalSubset = { context, _, _, _ in
            TreeBuilder.from(context).refuse(.documentTypeDeclaration)
        }
        handler.entityDecl = { context, _, _, _, _, _ in
            TreeBuilder.from(context).refuse(.documentTypeDeclaration)
        }
        handler.serror = { context, error in
            guard let context, let error else { return }
            let builder = Unmanaged<TreeBuilder>.fromOpaque(context).takeUnretainedValue()
            if builder.errorMessage == nil, let message = error.pointee.message {
                builder.errorMessage = "line \(error.pointee.line): " + String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return handler
    }()
}

/// Collects the tree while libxml2 reports elements; stops the parser at the first limit crossed.
private final class TreeBuilder {
    let limits: XMLReader.Limits
    var context: xmlParserCtxtPtr?
    var stack: [XMLNode] = []
    var root: XMLNode?
    var elements = 0
    var problem: XMLProblem?
    var errorMessage: String?
    /// libxml2 interns element and attribute names, so one pointer always means one name.
    var names: [UnsafeRawPointer: String] = [:]

    init(limits: XMLReader.Limits) {
        self.limits = limits
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> TreeBuilder {
        Unmanaged<TreeBuilder>.fromOpaque(context!).takeUnretainedValue()
    }

    func start(_ localName: UnsafePointer<xmlChar>?, attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard problem == nil, let localName else { return }
        elements += 1
        if stack.count >= limits.maximumDepth { return refuse(.tooDeep) }
        if elements > limits.maximumElements { return refuse(.tooManyElements) }
        var node = XMLNode(name: name(localName))
        if attributeCount > 0, let attributes {
            node.attributes.reserveCapacity(attributeCount)
            for index in 0..<attributeCount {
                let base = index * 5  // localname, prefix, URI, value start, value end
                guard let attributeName = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                var value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                // Without entity substitution libxml2 hands a literal '&' back as "&#38;".
                if value.utf8.contains(UInt8(ascii: "&")) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                node.attributes.append((name(attributeName), value))
            }
        }
        stack.append(node)
    }

    func end() {
        guard problem == nil, let node = stack.popLast() else { return }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }

    func characters(_ characters: UnsafePointer<xmlChar>?, _ length: Int) {
        guard problem == nil, let characters, !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF8.self)
    }

    func refuse(_ kind: XMLProblem.Kind) {
        guard problem == nil else { return }
        problem = XMLProblem(kind)
        if let context { xmlStopParser(context) }
    }

    private func name(_ pointer: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(pointer)
        if let known = names[key] { return known }
        let text = String(cString: pointer)
        names[key] = text
        return text
    }
}

/// Why an XML document was refused.
public struct XMLProblem: Error, Equatable, CustomStringConvertible, Sendable {
    /// The kind of problem; stable, safe to put in metrics.
    public enum Kind: String, Sendable {
        case empty
        case tooLarge = "too_large"
        case tooDeep = "too_deep"
        case tooManyElements = "too_many_elements"
        case documentTypeDeclaration = "doctype"
        case wrongEncoding = "wrong_encoding"
        case malformed
    }

    public let kind: Kind
    /// Parser detail for logs (never carries document content beyond libxml2's message).
    public let detail: String?

    public init(_ kind: Kind, detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        detail.map { "\(kind.rawValue): \($0)" } ?? kind.rawValue
    }
}

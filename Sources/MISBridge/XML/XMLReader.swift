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

    /// The document's root element, as a standalone tree.
    public func parse(_ bytes: [UInt8]) throws(XMLProblem) -> XMLNode {
        try document(bytes).root.node
    }

    /// The document, held flat for fast decoding.
    public func document(_ bytes: [UInt8]) throws(XMLProblem) -> XMLDocument {
        guard !bytes.isEmpty else { throw XMLProblem(.empty) }
        guard bytes.count <= limits.maximumBytes else { throw XMLProblem(.tooLarge, detail: "\(bytes.count) bytes") }
        try Self.checkEncoding(bytes)

        let builder = TreeBuilder(limits: limits, expectedBytes: bytes.count)
        let unmanaged = Unmanaged.passRetained(builder)
        defer { unmanaged.release() }
        // The pull parser over memory (as xmlSAXUserParseMemory does), with our handler swapped in.
        let created = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlCreateMemoryParserCtxt($0, Int32(buffer.count)) }
        }
        guard let context = created, let sax = context.pointee.sax else {
            throw XMLProblem(.malformed, detail: "parser could not start")
        }
        defer { xmlFreeParserCtxt(context) }
        var handler = Self.handler
        let ownSAX = sax
        withUnsafeMutablePointer(to: &handler) { context.pointee.sax = $0
            context.pointee.userData = unmanaged.toOpaque()
            builder.context = context
            xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
            _ = xmlParseDocument(context)
            context.pointee.sax = ownSAX
        }
        if let problem = builder.problem { throw problem }
        guard context.pointee.wellFormed != 0, builder.finished else {
            throw XMLProblem(.malformed, detail: builder.errorMessage ?? "document is not well-formed")
        }
        return builder.document
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
            TreeBuilder.from(context).pointee.start(localName, attributeCount: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { context, _, _, _ in
            TreeBuilder.from(context).pointee.end()
        }
        handler.characters = { context, characters, length in
            TreeBuilder.from(context).pointee.characters(characters, Int(length))
        }
        // Any DTD at all — internal subset, external subset, entity declarations — ends the parse.
        handler.internalSubset = { context, _, _, _ in
            TreeBuilder.from(context).pointee.refuse(.documentTypeDeclaration)
        }
        handler.externalSubset = { context, _, _, _ in
            TreeBuilder.from(context).pointee.refuse(.documentTypeDeclaration)
        }
        handler.entityDecl = { context, _, _, _, _, _ in
            TreeBuilder.from(context).pointee.refuse(.documentTypeDeclaration)
        }
        handler.serror = { context, error in
            guard let context, let error else { return }
            let builder = TreeBuilder.from(context)
            if builder.pointee.errorMessage == nil, let message = error.pointee.message {
                builder.pointee.errorMessage = "line \(error.pointee.line): " + String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return handler
    }()
}

/// Owns the builder state for the parse; libxml2 gets this object as its user data. The state sits
/// behind a pointer so that the many small writes in callbacks skip dynamic exclusivity checks.
private final class TreeBuilder {
    let state: UnsafeMutablePointer<BuilderState>

    init(limits: XMLReader.Limits, expectedBytes: Int) {
        state = .allocate(capacity: 1)
        state.initialize(to: BuilderState(limits: limits, expectedBytes: expectedBytes))
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var context: xmlParserCtxtPtr? {
        get { state.pointee.context }
        set { state.pointee.context = newValue }
    }
    var problem: XMLProblem? { state.pointee.problem }
    var finished: Bool { state.pointee.finished }
    var document: XMLDocument { state.pointee.document }
    var errorMessage: String? {
        get { state.pointee.errorMessage }
        set { state.pointee.errorMessage = newValue }
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<BuilderState> {
        Unmanaged<TreeBuilder>.fromOpaque(context!).takeUnretainedValue().state
    }
}

/// Collects the flat document while libxml2 reports elements; stops the parser at the first limit crossed.
private struct BuilderState {
    let limits: XMLReader.Limits
    var context: xmlParserCtxtPtr?
    var document = XMLDocument()
    /// Indexes of the open elements.
    var open: [Int32] = []
    var finished = false
    var problem: XMLProblem?
    var errorMessage: String?
    /// libxml2 interns element and attribute names, so one pointer always means one name; an answer
    /// uses a dozen or so, found faster by comparing pointers than by hashing.
    var nameIDs: [(pointer: UnsafeRawPointer, id: Int32)] = []

    /// Sizes the buffers from the input once, instead of letting them grow step by step.
    init(limits: XMLReader.Limits, expectedBytes: Int) {
        self.limits = limits
        document.elements.reserveCapacity(max(16, expectedBytes / 128))
        document.attributes.reserveCapacity(max(64, expectedBytes / 24))
        document.bytes.reserveCapacity(max(1_024, expectedBytes))
    }

    mutating func start(_ localName: UnsafePointer<xmlChar>?, attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard problem == nil, let localName else { return }
        if open.count >= limits.maximumDepth { return refuse(.tooDeep) }
        if document.elements.count >= limits.maximumElements { return refuse(.tooManyElements) }
        if open.isEmpty && finished { return refuse(.malformed) }
        let firstAttribute = Int32(document.attributes.count)
        if attributeCount > 0, let attributes {
            for index in 0..<attributeCount {
                let base = index * 5  // localname, prefix, URI, value start, value end
                guard let attributeName = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                let valueStart = Int32(document.bytes.count)
                let length = end - start
                // Without entity substitution libxml2 hands a literal '&' back as "&#38;".
                if memchr(start, 0x26, length) != nil {
                    let value = String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self).replacingOccurrences(of: "&#38;", with: "&")
                    document.bytes.append(contentsOf: value.utf8)
                } else {
                    document.bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
                }
                document.attributes.append(XMLDocument.Attribute(name: nameID(attributeName), start: valueStart, length: Int32(document.bytes.count) - valueStart))
            }
        }
        open.append(Int32(document.elements.count))
        document.elements.append(XMLDocument.Element(
            name: nameID(localName), firstAttribute: firstAttribute, attributeCount: Int32(document.attributes.count) - firstAttribute,
            subtreeEnd: 0, textStart: 0, textLength: 0
        ))
    }

    mutating func end() {
        guard problem == nil, let index = open.popLast() else { return }
        document.elements[Int(index)].subtreeEnd = Int32(document.elements.count)
        if open.isEmpty { finished = true }
    }

    mutating func characters(_ characters: UnsafePointer<xmlChar>?, _ length: Int) {
        guard problem == nil, let characters, let current = open.last else { return }
        let index = Int(current)
        // Text is kept only while it is contiguous with the element's earlier text (no child between).
        if document.elements[index].textLength == 0 {
            document.elements[index].textStart = Int32(document.bytes.count)
        } else if document.elements[index].textStart + document.elements[index].textLength != Int32(document.bytes.count) {
            let previous = document.string(Int(document.elements[index].textStart), Int(document.elements[index].textLength))
            document.elements[index].textStart = Int32(document.bytes.count)
            document.bytes.append(contentsOf: previous.utf8)
        }
        document.bytes.append(contentsOf: UnsafeBufferPointer(start: characters, count: length))
        document.elements[index].textLength = Int32(document.bytes.count) - document.elements[index].textStart
    }

    mutating func refuse(_ kind: XMLProblem.Kind) {
        guard problem == nil else { return }
        problem = XMLProblem(kind)
        if let context { xmlStopParser(context) }
    }

    private mutating func nameID(_ pointer: UnsafePointer<xmlChar>) -> Int32 {
        let key = UnsafeRawPointer(pointer)
        for known in nameIDs where known.pointer == key { return known.id }
        let id = Int32(document.names.count)
        document.names.append(String(cString: pointer))
        if nameIDs.count < 64 { nameIDs.append((key, id)) }
        return id
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

import CLibXML2
import Foundation

/// Validates documents against an XML Schema with libxml2 (used by the conformance check and tests).
public final class XMLSchemaValidator: @unchecked Sendable {
    // The parsed schema is read-only after init; each validation gets its own context.
    private let schema: xmlSchemaPtr

    /// Loads the schema at `path`; nil if it cannot be read or is not a valid schema.
    public init?(path: String) {
        guard let parser = xmlSchemaNewParserCtxt(path) else { return nil }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let schema = xmlSchemaParse(parser) else { return nil }
        self.schema = schema
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// The problems found in `bytes`; empty when the document is valid.
    public func problems(in bytes: [UInt8]) -> [String] {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "answer.xml", "UTF-8", options)
            }
        }
        guard let document else { return ["not well-formed XML"] }
        defer { xmlFreeDoc(document) }
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["validation could not start"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = Unmanaged.passRetained(ProblemCollector())
        defer { collector.release() }
        xmlSchemaSetValidStructuredErrors(context, { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let collector = Unmanaged<ProblemCollector>.fromOpaque(context).takeUnretainedValue()
            collector.problems.append("line \(error.pointee.line): " + String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }, collector.toOpaque())
        let result = xmlSchemaValidateDoc(context, document)
        let problems = collector.takeUnretainedValue().problems
        return result == 0 ? [] : (problems.isEmpty ? ["invalid (code \(result))"] : problems)
    }
}

private final class ProblemCollector {
    var problems: [String] = []
}

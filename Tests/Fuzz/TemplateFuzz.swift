// libFuzzer harness: the template lexer, parser and compiler, with the input as a template that a
// layout includes. Built by scripts/fuzz.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Lexer.tokenize(source)
    _ = try? Parser.parse(source)
    let text = String(decoding: source, as: UTF8.self)
    _ = try? TemplateLibrary(templates: ["page": text, "layout": "<main>{% include \"page\" %}</main>"])
    return 0
}

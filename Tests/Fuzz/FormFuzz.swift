// libFuzzer harness: the form decoder (browser forms and protocol parameters). Built by scripts/fuzz.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForm(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let form = try? FormParameters(decoding: bytes) else { return 0 }
    // What is accepted is whole: no NUL survives, no name twice, every value found by its name.
    var names = Set<String>()
    for pair in form.pairs {
        precondition(!pair.name.utf8.contains(0) && !pair.value.utf8.contains(0), "a NUL got through")
        precondition(names.insert(pair.name).inserted, "a repeated name got through")
        precondition(form[pair.name] == pair.value)
    }
    return 0
}

// libFuzzer harness: the identifier parsers a person's typing reaches (policy, SNILS, birth date,
// mobile phone). Built by scripts/fuzz.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIdentifiers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let policy = try? PolicyNumber(parsing: text) {
        // A parsed policy parses again to itself from its protocol form.
        precondition((try? PolicyNumber(parsing: policy.protocolValue))?.protocolValue == policy.protocolValue)
    }
    _ = try? SNILS(parsing: text)
    if let day = BirthDate.parse(text, today: "2026-12-01") {
        precondition(day.utf8.count == 10 && day < "2026-12-02", "a birth date after today: \(day)")
    }
    if let phone = MobilePhone(parsing: text) {
        precondition(MobilePhone(parsing: phone.formatted)?.formatted == phone.formatted)
    }
    return 0
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import App
@testable import Web

@Suite("Static files")
struct StaticFileTests {
    @Test func stylesheetsAreServedWithCachingHeaders() async throws {
        try await withRegistry { client in
            let etag = try await client.execute(uri: "/css/base.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css")
                #expect(response.headers[.cacheControl] == "public, max-age=86400")
                #expect(response.text.contains("--brand"))
                return response.headers[.eTag]
            }
            #expect(etag != nil)
            try await client.execute(uri: "/css/base.css", method: .get, headers: [.ifNoneMatch: etag ?? ""]) { response in
                #expect(response.status == .notModified)
            }
        }
    }

    @Test func developmentAlwaysRevalidates() async throws {
        try await withRegistry(development: true) { client in
            try await client.execute(uri: "/css/print.css", method: .get) { response in
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.text.contains("@page"))
            }
        }
    }

    @Test func pathTraversalDoesNotLeaveThePublicDirectory() async throws {
        try await withRegistry { client in
            for uri in ["/../Package.swift", "/css/../../Package.swift", "/%2e%2e/Package.swift"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(!response.text.contains("PackageDescription"), "\(uri)")
                }
            }
        }
    }
}

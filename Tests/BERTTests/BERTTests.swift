import Testing

@testable import BERT

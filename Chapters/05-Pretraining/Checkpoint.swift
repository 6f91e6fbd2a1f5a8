// Saving the pretrained model as a Hugging Face checkpoint folder, and reading it back.
//
//   models/notebook-bert/
//     config.json             BERTConfig, keys sorted, "architectures": ["BertForMaskedLM"]
//     model.safetensors       every tensor under its Hugging Face key, sorted by name; the tied
//                             decoder weight is the word embedding table and is not repeated
//     vocab.txt               the word pieces, one per line, id = line number - 1
//     tokenizer_config.json   an uncased BertTokenizer
//
// The BERT module's `savePretrained` writes the folder as the reference's `save_pretrained`
// does, so `transformers.AutoModelForMaskedLM.from_pretrained("models/notebook-bert")` loads it;
// chapters 02, 04 and 06 read it from there.

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// The files of a checkpoint folder, in the order the chapter lists them.
let checkpointFiles = ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"]

/// Writes `model` and `tokenizer` into `folder` (created if needed), replacing those files.
///
/// - Throws: The writers' errors, each naming its file.
func saveCheckpoint(_ model: PretrainingModel, tokenizer: BertTokenizer, to folder: URL) throws {
  switch model {
  case .maskedLM(let model): try model.savePretrained(to: folder, tokenizer: tokenizer)
  case .withNextSentence(let model): try model.savePretrained(to: folder, tokenizer: tokenizer)
  }
}

/// Reads a folder written by `saveCheckpoint`: the model of the architecture `config.json` names,
/// and the tokenizer.
///
/// - Throws: The readers' errors, naming the file (and the tensor) at fault;
///   `ChapterError.missingToken` when the folder has no vocab.txt.
func loadCheckpoint(from folder: URL) throws -> (model: PretrainingModel, tokenizer: BertTokenizer) {
  let checkpoint = try PretrainedCheckpoint(directory: folder)
  guard let tokenizer = checkpoint.tokenizer else {
    throw ChapterError.missingToken("\(folder.path) has no vocab.txt")
  }
  if try checkpoint.architecture == .preTraining {
    return (.withNextSentence(try checkpoint.load(BertForPreTraining.self).model), tokenizer)
  }
  return (.maskedLM(try checkpoint.load(BertForMaskedLM.self).model), tokenizer)
}

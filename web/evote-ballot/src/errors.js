// Errors of the caller's input.

/**
 * An error of the caller's input, with a `code` saying which input: "credential",
 * "election" or "choices".
 */
export class BallotInputError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "BallotInputError";
    this.code = code;
  }
}

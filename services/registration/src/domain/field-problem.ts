/** What is wrong with one field of a registration, in words the registrant can act on. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

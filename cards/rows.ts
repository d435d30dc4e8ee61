/** A label and a value drawn as literal text: values may be what a user typed. */
export interface LabelledValue {
  readonly label: string;
  readonly value: string;
}

/**
 * A dialog's id, typed with the options it begins with, so that a route that begins it with the
 * wrong options does not compile. Still a string to botbuilder-dialogs.
 */
export type DialogId<O extends object> = string & { readonly beginsWith?: O };

// A module whose default export is not a handler: it has no codec.
export default { onMessage() {} };

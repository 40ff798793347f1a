// A handler module that fails as it loads.
throw new Error('this module does not load');

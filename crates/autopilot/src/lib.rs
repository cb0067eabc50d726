//! Posting proposals for invoices. (Being built: see issue 4.)

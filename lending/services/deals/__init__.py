"""From an accepted proposal to a billed loan, the chain of the law (see legal.md):

agreements    the loan agreement and its versions, drafted from the proposal, completed by
              both firms (convention) and the employer (avenant)
signatories   who signs for each firm: one of its HR accounts, named in the documents
compliance    every legal gate a document must pass before it is frozen
signing       frozen documents, signatures with their evidence, the loan they start
loans         the loan's life: start, early end, extension, return, feedback
billing_rules the non-profit rule: what the host is billed, month by month
actuals       what the lender really paid each month (entered, or imported by
              actuals_import), the figures statements are issued from
hours         the hours on loan in a month, printed on its statement
statements    the monthly billing statements, numbered per lender and year
payments      the host marks a statement paid or contested
"""

# Probes in Gherkin: the probes of scenarios/hygiene.yaml, each a data table whose keys
# are the YAML probe's keys (a list is one comma-separated cell). Roles come from
# features/authspec.yaml; the writer has its own rate limit budget, so this burst does
# not race the YAML suite's.
@hygiene
Feature: API hygiene (Gherkin, demo)
  Probes check what reviewers miss by hand; each case of a probe is one check.

  @slow
  Scenario: search is rate limited
    Then the rate limit probe passes with:
      | as            | writer      |
      | request       | GET /search |
      | burst         | 50          |
      | expect_within | 25          |
      | retry_after   | required    |

  Scenario: payment webhooks are verified
    Then the webhooks probe passes with:
      | request   | POST /webhooks/payments                       |
      | scheme    | stripe                                        |
      | secret    | ${demo:webhook_secret}                        |
      | payload   | { type: payment_intent.succeeded, id: evt_2 } |
      | tolerance | 300                                           |

  Scenario: order responses carry security headers
    Then the headers probe passes with:
      | as       | writer      |
      | requests | GET /orders |

  Scenario: a writer lists orders with query parameters and headers
    Given I am "writer"
    And the query parameters are:
      | q     | gadget |
      | limit | 10     |
    And the request headers are:
      | Accept     | application/json |
      | X-Trace-Id | authspec-sample  |
    When I send "GET /orders"
    Then access is allowed

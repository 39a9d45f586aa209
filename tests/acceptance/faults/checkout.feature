@faults
Feature: Checkout copes with a payments API that misbehaves (sample SUT)
  Three fault scenarios of scenarios/checkout.yaml, said in Gherkin: /checkout has a
  timeout, bounded retries with growing pauses and a generic error, and passes; the
  careless paths do not, and each of their scenarios fails (deliberately).

  Background:
    Given I am "customer"

  Scenario: a hanging payments API does not hang checkout
    Given the upstream "payments" delays 30s
    When I send "POST /checkout" with JSON:
      """
      { "amount": 100 }
      """
    Then the response arrives within 5s
    And the response status is one of 502, 503, 504

  Scenario: transient 503s are retried with backoff, and not forever
    Given the upstream "payments" answers in sequence 503, 503, 200
    When I send "POST /checkout" with JSON:
      """
      { "amount": 100 }
      """
    Then the response status is 200
    And the upstream "payments" received 3 requests
    And the upstream "payments" was retried with increasing backoff

  Scenario: an upstream auth error is not passed on to the user
    Given the upstream "payments" answers 401 with:
      """
      { "error": "invalid api key", "detail": "${random:upstream_detail}" }
      """
    When I send "POST /checkout" with JSON:
      """
      { "amount": 100 }
      """
    Then the response status is one of 502, 503
    And the response body does not contain "invalid api key"

  @careless
  Scenario: the careless checkout does not hang on a hanging payments API
    Given the upstream "payments" delays 30s
    When I send "POST /checkout/careless" with JSON:
      """
      { "amount": 100 }
      """
    Then the response arrives within 5s
    And the response status is one of 502, 503, 504

  @careless
  Scenario: retries after a constant pause are no backoff
    Given the upstream "payments" answers in sequence 503, 503, 200
    When I send "POST /checkout/retry-constant" with JSON:
      """
      { "amount": 100 }
      """
    Then the response status is 200
    And the upstream "payments" received between 1 and 3 requests
    And the upstream "payments" was retried with increasing backoff

  @careless
  Scenario: the careless checkout does not pass an upstream auth error on
    Given the upstream "payments" answers 401 with:
      """
      { "error": "invalid api key", "detail": "${random:upstream_detail}" }
      """
    When I send "POST /checkout/careless" with JSON:
      """
      { "amount": 100 }
      """
    Then the response status is one of 502, 503
    And the response body does not contain "invalid api key"

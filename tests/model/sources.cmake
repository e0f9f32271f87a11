# Test sources of tests/model/ (paths relative to tests/)
list(APPEND RIPPLE_TEST_SOURCES model/test_ripple_propagation.cpp)
list(APPEND RIPPLE_TEST_SOURCES
  model/test_life_events.cpp
  model/test_stress_buffering.cpp
  model/test_symptoms_episodes.cpp
  model/test_belonging_work.cpp
  model/test_rapid_search.cpp
  model/test_helping_relationships.cpp
  model/test_family_backing.cpp
  model/test_hope_empowerment.cpp
  model/test_service_system.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_invariants.cpp model/test_person_actions.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_interventions.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_stylized_facts.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_parameter_constants.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_watchdog_front_loading.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_area_risk.cpp)
list(APPEND RIPPLE_TEST_SOURCES model/test_homophily.cpp)

//! Monte Carlo release forecasts: by which coming sprint each target is
//! done, at 50 %, 85 % and 95 % confidence, from the velocities the team
//! actually had.
//!
//! The method is the one Troy Magennis teaches ("Forecasting and
//! Simulating Software Development Projects", 2011; Focused Objective's
//! throughput forecaster) and Daniel Vacanti's Actionable Agile tools
//! offer as their "when will it be done" forecast ("When Will It Be
//! Done?", 2018): rather than one average velocity, the past sprints
//! themselves are the model. Each run plays the coming sprints out by drawing each one's
//! velocity at random, with replacement, from the past sprints; a target
//! is done in the first sprint whose running total reaches its points.
//! Over many runs, the share of runs done by a sprint is the confidence
//! of being done by it.
//!
//! Pure and reproducible: the caller passes the seed, and the same inputs
//! and seed give the same forecast.

use std::fmt;

use crate::words;

/// The fewest past sprints a forecast draws from. With one or two, every
/// run replays the same one or two numbers and the spread between 50 %
/// and 95 % says nothing; three is also what the plain velocity is the
/// mean of ([`super::SPRINTS_FOR_VELOCITY`]).
pub const FEWEST_SPRINTS: usize = 3;

/// What a forecast needs.
#[derive(Clone, Copy, Debug)]
pub struct Simulation<'a> {
    /// The velocities of the closed sprints, oldest first: the points each
    /// took. Each is 0 or more.
    pub history: &'a [f64],
    /// The points each target needs done: for a story, the points of it
    /// and everything ranked above it. In any order; each is 0 or more.
    pub targets: &'a [f64],
    /// The coming sprints whose capacity is already known, first coming
    /// sprint first: `Some(points)` takes exactly that capacity instead of
    /// a drawn velocity, `None` draws as usual. Every sprint after the
    /// list draws.
    pub known: &'a [Option<f64>],
    /// How many runs to play out: 10,000 is the usual count, and more
    /// only sharpens the same answer.
    pub runs: usize,
    /// The seed of the random draws.
    pub seed: u64,
    /// The most coming sprints a run plays out; a target not reached by
    /// then counts as not done in that run. Taken as `u32::MAX` if larger.
    pub horizon: usize,
}

/// Why no forecast was made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Refused {
    /// Fewer past sprints than [`FEWEST_SPRINTS`].
    TooFewSprints { have: usize, need: usize },
    /// No runs asked for.
    NoRuns,
    /// A past sprint's velocity is negative or not a number; `sprint` is
    /// its place in `history`, 0 for the oldest.
    NotAVelocity { sprint: usize, velocity: f64 },
    /// A known capacity is negative or not a number; `sprint` is its place
    /// in `known`, 0 for the first coming sprint.
    NotACapacity { sprint: usize, capacity: f64 },
    /// A target's points are negative or not a number; `target` is its
    /// place in `targets`.
    NotPoints { target: usize, points: f64 },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Refused::TooFewSprints { have, need } => write!(
                f,
                "a Monte Carlo forecast draws from at least {} and there {} {}",
                words::count(need, "closed sprint", "closed sprints"),
                if have == 1 { "is" } else { "are" },
                have,
            ),
            Refused::NoRuns => f.write_str("a Monte Carlo forecast needs at least one run"),
            Refused::NotAVelocity { sprint, velocity } => write!(
                f,
                "closed sprint {} (counting from the oldest) has a velocity of {}: \
                 a velocity is a number of points, 0 or more",
                sprint + 1,
                words::number(velocity)
            ),
            Refused::NotACapacity { sprint, capacity } => write!(
                f,
                "coming sprint {} has a capacity of {}: a capacity is a number of points, \
                 0 or more",
                sprint + 1,
                words::number(capacity)
            ),
            Refused::NotPoints { target, points } => write!(
                f,
                "target {} needs {} points: points to do are a number, 0 or more",
                target + 1,
                words::number(points)
            ),
        }
    }
}

impl std::error::Error for Refused {}

/// By which coming sprint a target is done, at three confidences: 1 for
/// the first coming sprint, 0 when nothing is left to do; `None` when
/// fewer runs than that are done within the horizon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Percentiles {
    /// Done by this sprint in at least half the runs.
    pub p50: Option<u32>,
    /// In at least 85 % of the runs.
    pub p85: Option<u32>,
    /// In at least 95 % of the runs.
    pub p95: Option<u32>,
}

/// Forecast each target (the result is in the order of `targets`): play
/// `runs` runs, each drawing every coming sprint's velocity at random,
/// with replacement, from `history` (a known capacity takes its sprint's
/// place), and note the first sprint whose running total reaches each
/// target's points. A target of 0 points is done in sprint 0, before any
/// sprint. A run stops when every target is done or after `horizon`
/// sprints, or as soon as nothing can move it further (every past
/// velocity 0 and no known capacity left), so a team that never did a
/// point ends with `None`, not an endless loop.
///
/// A percentile is by nearest rank: the p-percentile is the smallest
/// sprint `s` such that at least p % of the runs (rounded up to a whole
/// run) are done by `s`.
///
/// Reproducible: the same inputs and seed give the same forecast, on any
/// machine. Draws come from `fastrand::Rng::with_seed(seed)` and its
/// `u32` ranges (not `usize`, whose draws differ between 32- and 64-bit
/// machines), so a forecast changes only if fastrand changes that
/// generator. The work is one draw per run and sprint played, with no
/// allocation per run.
///
/// # Errors
///
/// Refused with fewer than [`FEWEST_SPRINTS`] past sprints, no runs, or a
/// velocity, capacity or target that is negative or not a number.
pub fn simulate(sim: &Simulation) -> Result<Vec<Percentiles>, Refused> {
    check(sim)?;
    // Draws are u32 so that every machine draws the same; a history
    // longer than u32 can count (never a real team's) is cut to its
    // newest sprints.
    let most = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
    let history = &sim.history[sim.history.len().saturating_sub(most)..];
    let sprints = u32::try_from(history.len()).unwrap_or(u32::MAX);
    let mut horizon = sim.horizon.min(most);
    if history.iter().all(|&velocity| velocity == 0.0) {
        // Past the known capacities the total never moves again.
        horizon = horizon.min(sim.known.len());
    }

    // Walked smallest first, each run's running total passes the targets
    // in order, so one pointer finds every target the sprint reached.
    let mut order: Vec<usize> = (0..sim.targets.len()).collect();
    order.sort_by(|&a, &b| sim.targets[a].total_cmp(&sim.targets[b]));
    let points: Vec<f64> = order.iter().map(|&t| sim.targets[t]).collect();
    // done[k][s]: the runs in which the k-th smallest target was done in
    // sprint s. Grown (rarely) to the latest sprint any run reached.
    let mut done: Vec<Vec<usize>> = vec![Vec::new(); points.len()];

    let mut rng = fastrand::Rng::with_seed(sim.seed);
    for _ in 0..sim.runs {
        let mut total = 0.0;
        let mut next = 0;
        let mut sprint = 0;
        loop {
            while next < points.len() && total >= points[next] {
                let runs = &mut done[next];
                if runs.len() <= sprint {
                    runs.resize(sprint + 1, 0);
                }
                runs[sprint] += 1;
                next += 1;
            }
            if next == points.len() || sprint == horizon {
                break;
            }
            let capacity = sim.known.get(sprint).copied().flatten();
            total += capacity.unwrap_or_else(|| history[rng.u32(..sprints) as usize]);
            sprint += 1;
        }
    }

    let mut forecast = vec![Percentiles::default(); points.len()];
    for (runs, &target) in done.iter().zip(&order) {
        forecast[target] = Percentiles {
            p50: percentile(runs, sim.runs, 50),
            p85: percentile(runs, sim.runs, 85),
            p95: percentile(runs, sim.runs, 95),
        };
    }
    Ok(forecast)
}

/// Refuse what no forecast can be made from.
fn check(sim: &Simulation) -> Result<(), Refused> {
    let bad = |points: f64| !points.is_finite() || points < 0.0;
    if sim.history.len() < FEWEST_SPRINTS {
        return Err(Refused::TooFewSprints {
            have: sim.history.len(),
            need: FEWEST_SPRINTS,
        });
    }
    if sim.runs == 0 {
        return Err(Refused::NoRuns);
    }
    if let Some((sprint, &velocity)) = sim.history.iter().enumerate().find(|(_, v)| bad(**v)) {
        return Err(Refused::NotAVelocity { sprint, velocity });
    }
    let known = sim.known.iter().enumerate();
    if let Some((sprint, capacity)) = known
        .filter_map(|(s, c)| Some((s, (*c)?)))
        .find(|(_, c)| bad(*c))
    {
        return Err(Refused::NotACapacity { sprint, capacity });
    }
    if let Some((target, &points)) = sim.targets.iter().enumerate().find(|(_, p)| bad(**p)) {
        return Err(Refused::NotPoints { target, points });
    }
    Ok(())
}

/// The nearest-rank `p`-percentile of `runs` runs, `done[s]` of them done
/// in sprint `s`: the first sprint by which at least `p` % of all runs
/// (rounded up) are done; none if the runs done never get there.
fn percentile(done: &[usize], runs: usize, p: usize) -> Option<u32> {
    // ceil(p × runs / 100), split so that the product cannot overflow.
    let needed = runs / 100 * p + (runs % 100 * p).div_ceil(100);
    let mut reached = 0;
    for (sprint, &count) in done.iter().enumerate() {
        reached += count;
        if reached >= needed {
            return u32::try_from(sprint).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// 1,000 runs, seed 7, horizon 100 and no known capacities, unless a
    /// test says otherwise.
    fn forecast(history: &[f64], targets: &[f64]) -> Result<Vec<Percentiles>, Refused> {
        simulate(&Simulation {
            history,
            targets,
            known: &[],
            runs: 1_000,
            seed: 7,
            horizon: 100,
        })
    }

    fn all(sprint: Option<u32>) -> Percentiles {
        Percentiles {
            p50: sprint,
            p85: sprint,
            p95: sprint,
        }
    }

    /// Sprints as they order, a target never done coming last.
    fn by(sprint: Option<u32>) -> u64 {
        sprint.map_or(u64::MAX, u64::from)
    }

    fn ordered(p: Percentiles) -> bool {
        by(p.p50) <= by(p.p85) && by(p.p85) <= by(p.p95)
    }

    const HISTORY: [f64; 8] = [8.0, 21.0, 13.0, 30.0, 5.0, 18.0, 25.0, 11.0];

    #[test]
    fn the_same_seed_gives_the_same_forecast() {
        let targets = [40.0, 90.0, 10.0, 200.0];
        let simulation = Simulation {
            history: &HISTORY,
            targets: &targets,
            known: &[None, Some(12.0)],
            runs: 10_000,
            seed: 42,
            horizon: 50,
        };
        let first = simulate(&simulation).unwrap();
        assert_eq!(simulate(&simulation).unwrap(), first);
        let other = simulate(&Simulation {
            seed: 43,
            ..simulation
        })
        .unwrap();
        assert_eq!(other.len(), targets.len());
        assert!(other.iter().all(|&p| ordered(p)), "{other:?}");
        // A spread: 200 points take at least 7 sprints at the best
        // velocity and up to 40 at the worst.
        assert!(first[3].p50 < first[3].p95, "{first:?}");
    }

    #[test]
    fn a_steady_team_is_done_when_its_velocity_adds_up_to_the_target() {
        let forecast = forecast(&[10.0; 5], &[35.0, 10.0, 40.0]).unwrap();
        assert_eq!(forecast, [all(Some(4)), all(Some(1)), all(Some(4))]);
    }

    #[test]
    fn a_target_any_sprint_reaches_is_done_in_the_first() {
        assert_eq!(
            forecast(&[10.0, 20.0, 30.0], &[10.0]).unwrap(),
            [all(Some(1))]
        );
    }

    #[test]
    fn half_the_runs_and_more_are_done_in_one_sprint_when_two_velocities_in_three_reach_it() {
        // 20 points: the first sprint reaches them with a 30 (two draws in
        // three), any two sprints always do. So about 67 % of runs are
        // done by sprint 1 and all by sprint 2.
        let forecast = simulate(&Simulation {
            history: &[10.0, 30.0, 30.0],
            targets: &[20.0],
            known: &[],
            runs: 10_000,
            seed: 1,
            horizon: 10,
        })
        .unwrap();
        assert_eq!(
            forecast,
            [Percentiles {
                p50: Some(1),
                p85: Some(2),
                p95: Some(2)
            }]
        );
    }

    #[test]
    fn known_capacities_replace_the_draws_of_their_sprints() {
        let history = [10.0; 3];
        let known = [Some(0.0), Some(0.0)];
        let forecast = |known| {
            simulate(&Simulation {
                history: &history,
                targets: &[10.0, 25.0],
                known,
                runs: 100,
                seed: 3,
                horizon: 20,
            })
            .unwrap()
        };
        assert_eq!(forecast(&known), [all(Some(3)), all(Some(5))]);
        // A known sprint between drawn ones, and one above the velocity.
        assert_eq!(forecast(&[None, Some(15.0)]), [all(Some(1)), all(Some(2))]);
    }

    #[test]
    fn fewer_than_three_sprints_or_no_runs_are_refused() {
        let refused = forecast(&[10.0, 12.0], &[20.0]).unwrap_err();
        assert_eq!(refused, Refused::TooFewSprints { have: 2, need: 3 });
        assert_eq!(
            refused.to_string(),
            "a Monte Carlo forecast draws from at least 3 closed sprints and there are 2"
        );
        assert_eq!(
            forecast(&[], &[]).unwrap_err(),
            Refused::TooFewSprints { have: 0, need: 3 }
        );
        let none = simulate(&Simulation {
            history: &HISTORY,
            targets: &[5.0],
            known: &[],
            runs: 0,
            seed: 1,
            horizon: 10,
        });
        assert_eq!(none, Err(Refused::NoRuns));
    }

    #[test]
    fn negative_or_missing_numbers_are_refused_with_their_place() {
        let refused = forecast(&[10.0, f64::NAN, 12.0], &[20.0]).unwrap_err();
        assert!(matches!(
            refused,
            Refused::NotAVelocity {
                sprint: 1,
                velocity
            } if velocity.is_nan()
        ));
        assert_eq!(
            refused.to_string(),
            "closed sprint 2 (counting from the oldest) has a velocity of NaN: \
             a velocity is a number of points, 0 or more"
        );
        let refused = simulate(&Simulation {
            history: &HISTORY,
            targets: &[5.0],
            known: &[None, None, Some(-4.0)],
            runs: 10,
            seed: 1,
            horizon: 10,
        })
        .unwrap_err();
        assert_eq!(
            refused,
            Refused::NotACapacity {
                sprint: 2,
                capacity: -4.0
            }
        );
        assert_eq!(
            refused.to_string(),
            "coming sprint 3 has a capacity of -4: a capacity is a number of points, 0 or more"
        );
        let refused = forecast(&HISTORY, &[5.0, f64::INFINITY]).unwrap_err();
        assert_eq!(
            refused,
            Refused::NotPoints {
                target: 1,
                points: f64::INFINITY
            }
        );
    }

    #[test]
    fn nothing_left_to_do_is_done_in_sprint_zero() {
        assert_eq!(
            forecast(&[0.0; 3], &[0.0, 5.0]).unwrap(),
            [all(Some(0)), all(None)]
        );
    }

    #[test]
    fn a_target_past_the_horizon_is_not_done() {
        let forecast = simulate(&Simulation {
            history: &[10.0; 3],
            targets: &[30.0, 31.0],
            known: &[],
            runs: 100,
            seed: 1,
            horizon: 3,
        })
        .unwrap();
        assert_eq!(forecast, [all(Some(3)), all(None)]);
    }

    #[test]
    fn a_team_that_never_did_a_point_stops_even_with_no_horizon() {
        let forecast = simulate(&Simulation {
            history: &[0.0; 3],
            targets: &[5.0, 12.0],
            known: &[Some(5.0)],
            runs: 10_000,
            seed: 1,
            horizon: usize::MAX,
        })
        .unwrap();
        assert_eq!(forecast, [all(Some(1)), all(None)]);
    }

    #[test]
    fn a_percentile_is_the_nearest_rank() {
        // 20 runs: 10 done in sprint 1, 7 in 2, 2 in 3, 1 never.
        let done = [0, 10, 7, 2];
        assert_eq!(percentile(&done, 20, 50), Some(1), "10 of 20 by 1");
        assert_eq!(percentile(&done, 20, 85), Some(2), "17 of 20 by 2");
        assert_eq!(percentile(&done, 20, 95), Some(3), "19 of 20 by 3");
        assert_eq!(percentile(&done, 21, 95), None, "20 of 21 is short");
        assert_eq!(percentile(&[1], 1, 95), Some(0));
    }

    proptest! {
        #[test]
        fn percentiles_are_ordered_and_grow_with_the_target(
            history in prop::collection::vec(0u8..20, 3..12),
            targets in prop::collection::vec(0u8..200, 1..6),
            known in prop::collection::vec(prop::option::of(0u8..20), 0..4),
            seed in any::<u64>(),
        ) {
            let history: Vec<f64> = history.into_iter().map(f64::from).collect();
            let targets: Vec<f64> = targets.into_iter().map(f64::from).collect();
            let known: Vec<Option<f64>> = known.into_iter().map(|c| c.map(f64::from)).collect();
            let forecast = simulate(&Simulation {
                history: &history,
                targets: &targets,
                known: &known,
                runs: 200,
                seed,
                horizon: 60,
            })
            .unwrap();
            prop_assert_eq!(forecast.len(), targets.len());
            for (a, pa) in targets.iter().zip(&forecast) {
                prop_assert!(ordered(*pa), "{:?}", pa);
                for (b, pb) in targets.iter().zip(&forecast) {
                    if a <= b {
                        prop_assert!(by(pa.p50) <= by(pb.p50), "{} {:?} {} {:?}", a, pa, b, pb);
                        prop_assert!(by(pa.p85) <= by(pb.p85));
                        prop_assert!(by(pa.p95) <= by(pb.p95));
                    }
                }
            }
        }
    }
}
